"""Django's own user-facing strings, listed so that ``makemessages`` copies them into our catalogs.

Nothing imports this module at run time. It exists only for message extraction: every msgid below is
copied character for character (typographic apostrophes and placeholders included) from Django's English
sources, so that our catalogs in ``khizmat/locale`` can give them our own translations. Catalogs in
``LOCALE_PATHS`` take precedence over Django's, which matters most for Uzbek Cyrillic: Django ships only a
Latin ``uz`` catalog, and gettext falls back from ``uz_Cyrl`` to ``uz``, so without entries of our own the
form errors, password rules and month names would show in Latin script on the Cyrillic interface.

When upgrading Django, check that these msgids still match its sources (a changed msgid silently falls back
to Django's translation or to English).
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

# django/forms/fields.py
FORM_FIELDS = [
    _("This field is required."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Enter a list of values."),
]

# django/forms/forms.py
FORMS = [
    _("(Hidden field %(name)s) %(error)s"),
]

# django/core/validators.py
VALIDATORS = [
    _("Enter a valid value."),
    _("Enter a valid URL."),
    _("Enter a valid email address."),
    _("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
]

# django/db/models/fields/__init__.py (model validation as run by model forms)
MODEL_FIELDS = [
    _("Value %(value)r is not a valid choice."),
    _("This field cannot be null."),
    _("This field cannot be blank."),
    _("%(model_name)s with this %(field_label)s already exists."),
]

# django/contrib/auth/models.py and validators.py (the user's username field, labelled on the login form)
AUTH_MODELS = [
    _("username"),
    _("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    _("A user with that username already exists."),
    _("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
]

# django/contrib/auth/forms.py (login and password change)
AUTH_FORMS = [
    _("Password"),
    _("Password confirmation"),
    _("Old password"),
    _("New password"),
    _("New password confirmation"),
    _("Enter the same password as before, for verification."),
    _("The two password fields didn’t match."),
    _("Your old password was entered incorrectly. Please enter it again."),
    _("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    _("This account is inactive."),
]

# django/contrib/auth/password_validation.py (messages and help texts of the validators in settings)
PASSWORD_VALIDATION = [
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
]

# django/utils/dates.py (month names, e.g. the |date:"F" filter on the working-day calendar)
MONTHS = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


# django/forms/models.py, fields.py and widgets.py (choices, uploads, the file widget, yes/no selects) and
# django/core/paginator.py and views/generic/list.py (page numbers). Django's own Kyrgyz and Uzbek translations of
# these are broken ("Туура натурал сан тер.", "Clear" as "Aniq", "Yuborilgan etilgan fayl"): ours replace them.
WIDGETS_AND_PAGES = [
    _("Select a valid choice. That choice is not one of the available choices."),
    _("Enter a valid integer."),
    _("No file was submitted. Check the encoding type on the form."),
    _("The submitted file is empty."),
    _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    _("Currently"),
    _("Change"),
    _("Clear"),
    _("Yes"),
    _("No"),
    _("Unknown"),
    _("That page number is not an integer"),
    _("That page number is less than 1"),
    _("That page contains no results"),
    _("Invalid page (%(page_number)s): %(message)s"),
]

# django/utils/dates.py: the other month forms of the date filter ("b"/"M" short, "N" abbreviated, "E" the form
# used with a day). Django has no Uzbek Cyrillic catalog: without these, Cyrillic pages would show Latin months.
MONTHS_3 = [_("jan"), _("feb"), _("mar"), _("apr"), _("may"), _("jun")]
MONTHS_3 += [_("jul"), _("aug"), _("sep"), _("oct"), _("nov"), _("dec")]


def _month_forms():  # pragma: no cover - never called: only here for makemessages
    """Month forms with a context (Django has no ``pgettext_noop``)."""
    return [
        pgettext_lazy("abbrev. month", "Jan."),
        pgettext_lazy("abbrev. month", "Feb."),
        pgettext_lazy("abbrev. month", "March"),
        pgettext_lazy("abbrev. month", "April"),
        pgettext_lazy("abbrev. month", "May"),
        pgettext_lazy("abbrev. month", "June"),
        pgettext_lazy("abbrev. month", "July"),
        pgettext_lazy("abbrev. month", "Aug."),
        pgettext_lazy("abbrev. month", "Sept."),
        pgettext_lazy("abbrev. month", "Oct."),
        pgettext_lazy("abbrev. month", "Nov."),
        pgettext_lazy("abbrev. month", "Dec."),
        pgettext_lazy("alt. month", "January"),
        pgettext_lazy("alt. month", "February"),
        pgettext_lazy("alt. month", "March"),
        pgettext_lazy("alt. month", "April"),
        pgettext_lazy("alt. month", "May"),
        pgettext_lazy("alt. month", "June"),
        pgettext_lazy("alt. month", "July"),
        pgettext_lazy("alt. month", "August"),
        pgettext_lazy("alt. month", "September"),
        pgettext_lazy("alt. month", "October"),
        pgettext_lazy("alt. month", "November"),
        pgettext_lazy("alt. month", "December"),
    ]


def _plurals():  # pragma: no cover - never called: only here for makemessages
    """Plural msgids (Django has no ``ngettext_noop``)."""
    return [
        # django/core/validators.py
        ngettext_lazy(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            "limit_value",
        ),
        ngettext_lazy(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            "limit_value",
        ),
        ngettext_lazy(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            "max",
        ),
        ngettext_lazy(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            "max",
        ),
        ngettext_lazy(
            "Ensure that there are no more than %(max)s digit before the decimal point.",
            "Ensure that there are no more than %(max)s digits before the decimal point.",
            "max",
        ),
        # django/contrib/auth/password_validation.py
        ngettext_lazy(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            0,
        ),
        ngettext_lazy(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            "min_length",
        ),
    ]
