"""Display names of vocabulary values, marked for translation (shown through gettext)."""

from __future__ import annotations

from microcred.web.i18n import N_

PROVINCES = {
    "AB": N_("Alberta"),
    "BC": N_("British Columbia"),
    "MB": N_("Manitoba"),
    "NB": N_("New Brunswick"),
    "NL": N_("Newfoundland and Labrador"),
    "NS": N_("Nova Scotia"),
    "NT": N_("Northwest Territories"),
    "NU": N_("Nunavut"),
    "ON": N_("Ontario"),
    "PE": N_("Prince Edward Island"),
    "QC": N_("Quebec"),
    "SK": N_("Saskatchewan"),
    "YT": N_("Yukon"),
}
KINDS = {
    "MicroCredential": N_("Micro-credential"),
    "Badge": N_("Badge"),
    "DigitalBadge": N_("Digital badge"),
    "OpenBadge": N_("Open Badge"),
    "Certificate": N_("Certificate"),
    "CertificateOfCompletion": N_("Certificate of completion"),
    "Certification": N_("Certification"),
    "ProfessionalCertificate": N_("Professional certificate"),
    "Course": N_("Course"),
}
MODES = {
    "online_sync": N_("Online, live sessions"),
    "online_async": N_("Online, self-paced"),
    "in_person": N_("In person"),
    "hybrid": N_("Hybrid"),
}
ASSESSMENTS = {
    "exam": N_("Exam"),
    "project": N_("Project"),
    "portfolio": N_("Portfolio"),
    "practical": N_("Practical demonstration"),
    "assignment": N_("Assignment"),
    "quiz": N_("Quiz"),
    "presentation": N_("Presentation"),
    "other": N_("Other"),
}
ORG_KINDS = {
    "college": N_("College"),
    "university": N_("University"),
    "indigenous_institute": N_("Indigenous institute"),
    "employer": N_("Employer"),
    "association": N_("Association"),
    "private_trainer": N_("Private trainer"),
}
STATUSES = {"active": N_("Active"), "archived": N_("Archived")}
LANGUAGES = {"en": N_("English"), "fr": N_("French")}
ROLES = {
    "admin": N_("Administrator"),
    "provider": N_("Provider staff"),
    "practitioner": N_("Career practitioner"),
    "learner": N_("Learner"),
}
PROFICIENCIES = {
    "basic": N_("basic"),
    "intermediate": N_("intermediate"),
    "advanced": N_("advanced"),
    "expert": N_("expert"),
}
# Messages for validation problems, by problem code (pydantic error types and our own).
PROBLEMS = {
    "missing": N_("This field is required."),
    "invalid_cell": N_("This value cannot be read: %(detail)s"),
    "decimal_parsing": N_("Enter a number, for example 1250.00."),
    "greater_than": N_("The value is too small."),
    "greater_than_equal": N_("The value is too small."),
    "less_than_equal": N_("The value is too large."),
    "decimal_max_places": N_("Too many decimal places."),
    "string_too_long": N_("This text is too long."),
    "too_long": N_("Too many values."),
    "string_pattern_mismatch": N_("This value is not in the expected format."),
    "url_parsing": N_("Enter a full web address starting with https://."),
    "url_scheme": N_("Enter a full web address starting with https://."),
    "enum": N_("Choose one of the listed values."),
    "date_from_datetime_parsing": N_("Enter dates as YYYY-MM-DD."),
    "date_parsing": N_("Enter dates as YYYY-MM-DD."),
    "too_short": N_("Give at least one value."),
    "title_missing": N_("Give a title in English or in French."),
    "province_needed": N_("An in-person or hybrid listing needs its province or territory."),
    "name_missing": N_("Give a name in English or in French."),
    "skill_id": N_("A skill must be scheme:id, for example oasis:F01a01 or an ESCO URI."),
    "list_type": N_("Give a list of values."),
    "bool_parsing": N_("Choose yes or no."),
}
PROFILE_CATEGORIES = {
    "Skills": N_("Skills"),
    "Abilities": N_("Abilities"),
    "Knowledge": N_("Knowledge"),
    "Work Activities": N_("Work activities"),
    "Personal Attributes": N_("Personal attributes"),
    "Work Context": N_("Work context"),
}
CONDITIONS = {
    "Balance": N_("Balance: labour supply and demand are expected to match"),
    "Moderate risk of Shortage": N_("Moderate risk of shortage of workers"),
    "Strong risk of Shortage": N_("Strong risk of shortage of workers"),
    "Moderate risk of Surplus": N_("Moderate risk of surplus of workers"),
    "Strong risk of Surplus": N_("Strong risk of surplus of workers"),
    "Moderate signs of Shortage": N_("Moderate signs of shortage of workers"),
    "Strong signs of Shortage": N_("Strong signs of shortage of workers"),
    "Moderate signs of Surplus": N_("Moderate signs of surplus of workers"),
    "Strong signs of Surplus": N_("Strong signs of surplus of workers"),
}
LEVELS = {
    1: N_("Broad occupational category"),
    2: N_("Major group"),
    3: N_("Sub-major group"),
    4: N_("Minor group"),
    5: N_("Unit group"),
}
CHECKS = {
    "document": N_("Credential shape"),
    "jsonld": N_("Every term defined"),
    "proof": N_("Signature"),
    "issuer": N_("Signed by the issuer"),
    "validity": N_("Validity dates"),
    "status": N_("Not revoked or suspended"),
    "recipient": N_("Issued to this person"),
    "endorsements": N_("Endorsements"),
    "schema": N_("Official JSON Schema"),
    "credentials": N_("Bundled credentials"),
}
