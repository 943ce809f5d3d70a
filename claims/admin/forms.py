"""Forms of the curated admin: versioned model forms, the alias row, the merge confirmation."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect

from claims.domain.names import name_match_key, normalize_name
from claims.models import Expert

__all__ = [
    "AddArticlesForm",
    "AffiliationInlineForm",
    "AliasInlineForm",
    "AliasInlineFormSet",
    "ClaimAdminForm",
    "ExpertAdminForm",
    "MergeExpertsForm",
    "MultipleFileField",
    "RowAutocompleteSelect",
    "VersionedModelForm",
]

MISSING_VERSION = "The form lost track of the version you loaded; reload the page and apply your change again."


class VersionedModelForm(forms.ModelForm):
    """A model form that carries, in a hidden field, the version of the record it was loaded from.

    The services compare it with the row's current version and refuse a save
    based on a stale copy (see ``claims.services.versioning``).
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            field = self.fields["expected_version"]
            field.initial = self.instance.version
            field.required = True
            field.error_messages["required"] = MISSING_VERSION


class ClaimAdminForm(VersionedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # On the add form the text may be left empty: it is read from the article at the offsets.
            self.fields["text"].required = False
            self.fields["text"].help_text = "Leave empty to take the article's text between the offsets."


class ExpertAdminForm(VersionedModelForm):
    dismiss_duplicates = forms.ModelMultipleChoiceField(
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Not the same person",
        help_text="Tick the experts who are different people: their possible-duplicate flag is cleared on save.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["dismiss_duplicates"].queryset = self.instance.possible_duplicates.order_by("sort_name", "id")
        elif "kind" in self.fields:
            self.fields["kind"].required = False  # left empty: "other", which ingestion may then refine
        if self.instance.pk is None and "sort_name" in self.fields:
            sort_name = self.fields["sort_name"]
            sort_name.required = False
            sort_name.help_text = (
                'How the name sorts in lists. Leave it empty to have it worked out: "Andrei Lankov" sorts as '
                '"Lankov, Andrei", and a Korean name written family name first stays as written ("Go Myong-hyun" '
                "sorts under Go)."
            )


class AliasInlineForm(forms.ModelForm):
    """An alias row. Its normalized form is derived before validation so that a second spelling
    with the same normalized form ("Choi Ryong-hae" beside "Choi Ryong Hae") is caught by the form:
    by the row's own unique check on the alias page, by the formset's check among an expert's rows."""

    def clean(self):
        cleaned_data = super().clean()
        name = " ".join((cleaned_data.get("name") or "").split())
        if name:
            cleaned_data["name"] = name
            cleaned_data["normalized"] = self.instance.normalized = normalize_name(name)
            self.instance.match_key = name_match_key(name)
        return cleaned_data

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("normalized")
        exclusions.discard("match_key")
        return exclusions


class AliasInlineFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "normalized" in unique_check:
            return "Two spellings have the same normalized form (case, accents, hyphens and order aside): keep one."
        return super().get_unique_error_message(unique_check)


class RowAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected option from the object the row already loaded.

    Django's AutocompleteSelect queries the selected object once per widget,
    which on an inline is once per row; ``selected_object`` (set by the row's
    form) avoids that. Any other value is rendered the usual way.
    """

    selected_object = None

    def optgroups(self, name, value, attr=None):
        chosen = self.selected_object
        values = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if chosen is None or values != [str(chosen.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, chosen.pk, label, set(values), len(options)))
        return [(None, options, 0)]


class AffiliationInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organization")
        widget = getattr(field, "widget", None)
        widget = getattr(widget, "widget", widget)  # inside the admin's RelatedFieldWidgetWrapper
        if isinstance(widget, RowAutocompleteSelect) and self.instance.organization_id is not None:
            widget.selected_object = self.instance.organization


class MergeExpertsForm(forms.Form):
    """Which of the selected experts survives the merge."""

    target = forms.ModelChoiceField(
        queryset=Expert.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "invalid_choice": "Keep one of the selected experts.",
            "required": "Choose the expert to keep.",
        },
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Expert.objects.filter(pk__in=[expert.pk for expert in experts])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AddArticlesForm(forms.Form):
    """The curator's "Add articles" page: addresses, pasted text or files, with optional stated metadata."""

    urls = forms.CharField(
        label="Addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80, "placeholder": "https://... (one a line; pages or feeds)"}),
        help_text="Web pages or RSS/Atom feeds, one a line.",
    )
    text = forms.CharField(
        label="Pasted text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="An article's plain text: its headline on the first line.",
    )
    files = MultipleFileField(
        required=False, help_text="Text files, saved pages (.html, .htm, gzip'ed too), web archives (.warc, .warc.gz)."
    )
    title = forms.CharField(required=False, max_length=500)
    outlet = forms.CharField(required=False, max_length=200)
    date = forms.CharField(required=False, help_text="2024-11-28, 2024-11 or 2024.")
    url = forms.URLField(
        required=False, label="Address", max_length=1000, assume_scheme="https", help_text="Where it was published."
    )
    author = forms.CharField(required=False, max_length=500, help_text="Bylines, separated by ';'.")
    language = forms.CharField(required=False, max_length=16, help_text="en, ko, ...")

    INPUT_FIELDS = ("urls", "text", "files")
    META_FIELDS = ("title", "outlet", "date", "url", "author", "language")

    def clean(self):
        from claims.extraction.provenance import ExplicitMeta

        data = super().clean()
        try:
            data["meta"] = ExplicitMeta.from_mapping({k: data.get(k) or None for k in self.META_FIELDS})
        except ValueError as exc:
            self.add_error(None, str(exc))
        urls = [line.strip() for line in (data.get("urls") or "").splitlines() if line.strip()]
        bad = [u for u in urls if not u.startswith(("http://", "https://"))]
        if bad:
            self.add_error("urls", f"Not a web address: {bad[0]}")
        data["url_list"] = urls
        if not urls and not (data.get("text") or "").strip() and not data.get("files"):
            raise forms.ValidationError("Give at least one address, a text or a file.")
        return data
