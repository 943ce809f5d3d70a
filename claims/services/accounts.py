"""Local accounts: the curator account `make run` creates on first start."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

CURATORS_GROUP = "Curators"


@transaction.atomic
def curator_ensure(*, username: str = "curator") -> tuple[object, str | None]:
    """Make sure a staff account in the Curators group exists.

    Returns (user, password). The password is generated and returned only when
    the account is created now; it is never stored in clear anywhere, so the
    caller prints it once. Existing accounts are left as they are.
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, None
    password = secrets.token_urlsafe(15)
    user = User.objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS_GROUP))
    return user, password
