"""versioned_save: the one tail of every versioned write (version, validation, history user, save)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Article
from claims.services.versioning import versioned_save
from tests import factories

pytestmark = pytest.mark.django_db


def test_bumps_the_version_validates_and_names_the_user_in_the_history():
    article = factories.ArticleFactory()
    user = factories.UserFactory()
    article.title = "A new headline"
    versioned_save(article, user=user)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.version, stored.title) == (2, "A new headline")
    assert stored.history.first().history_user == user


def test_an_invalid_row_is_refused_and_nothing_is_saved():
    article = factories.ArticleFactory()
    article.date_precision = "fortnight"
    with pytest.raises(ValidationError):
        versioned_save(article, user=None)
    assert Article.objects.get(pk=article.pk).version == 1


def test_a_model_with_rules_of_its_own_is_validated_by_them_instead():
    article = factories.ArticleFactory()
    seen = []
    versioned_save(article, validate=seen.append)
    assert seen == [article] and Article.objects.get(pk=article.pk).version == 2
