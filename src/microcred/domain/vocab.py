"""Controlled vocabularies shared by the catalogue (values are stable API/CSV codes)."""

from __future__ import annotations

from enum import StrEnum


class Province(StrEnum):
    """Canadian provinces and territories (ISO 3166-2:CA subdivision codes)."""

    AB = "AB"
    BC = "BC"
    MB = "MB"
    NB = "NB"
    NL = "NL"
    NS = "NS"
    NT = "NT"
    NU = "NU"
    ON = "ON"
    PE = "PE"
    QC = "QC"
    SK = "SK"
    YT = "YT"


class OrganizationKind(StrEnum):
    """Kinds of provider named by the CICan and eCampusOntario frameworks."""

    COLLEGE = "college"
    UNIVERSITY = "university"
    INDIGENOUS_INSTITUTE = "indigenous_institute"
    EMPLOYER = "employer"
    ASSOCIATION = "association"
    PRIVATE_TRAINER = "private_trainer"


class CredentialKind(StrEnum):
    """Credential classes from the CTDL vocabulary (https://credreg.net/ctdl/terms#Credential)."""

    MICRO_CREDENTIAL = "MicroCredential"
    BADGE = "Badge"
    DIGITAL_BADGE = "DigitalBadge"
    OPEN_BADGE = "OpenBadge"
    CERTIFICATE = "Certificate"
    CERTIFICATE_OF_COMPLETION = "CertificateOfCompletion"
    CERTIFICATION = "Certification"
    PROFESSIONAL_CERTIFICATE = "ProfessionalCertificate"
    COURSE = "Course"


class DeliveryMode(StrEnum):
    """How the learning is delivered (CTDL deliveryType, refined for synchronicity)."""

    ONLINE_SYNC = "online_sync"
    ONLINE_ASYNC = "online_async"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"

    @property
    def is_online(self) -> bool:
        """True for fully online modes (available anywhere in Canada)."""
        return self in (DeliveryMode.ONLINE_SYNC, DeliveryMode.ONLINE_ASYNC)


class AssessmentType(StrEnum):
    """Assessment methods (CTDL AssessmentMethod / ELM assessment type, simplified)."""

    EXAM = "exam"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL = "practical"
    ASSIGNMENT = "assignment"
    QUIZ = "quiz"
    PRESENTATION = "presentation"
    OTHER = "other"


class ListingStatus(StrEnum):
    """Whether a listing is currently offered."""

    ACTIVE = "active"
    ARCHIVED = "archived"


class SkillScheme(StrEnum):
    """Taxonomies a skill reference may point into."""

    OASIS = "oasis"
    ESCO = "esco"
    ONET = "onet"
    OTHER = "other"


class Proficiency(StrEnum):
    """Proficiency levels, aligned with OaSIS 1–5 proficiency scale names."""

    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class Role(StrEnum):
    """Account roles; provider staff are scoped to one organization."""

    ADMIN = "admin"
    PROVIDER = "provider"
    PRACTITIONER = "practitioner"
    LEARNER = "learner"
