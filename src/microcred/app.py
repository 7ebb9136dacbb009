"""The library entry point: ``Microcred(settings)`` wires the store and the services."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from urllib.parse import urlsplit

from microcred.accounts.service import Accounts
from microcred.catalog.service import Catalog
from microcred.credentials.issue import Issuance
from microcred.credentials.keys import IssuerKeys, secret_for
from microcred.credentials.remote import RemoteDocuments
from microcred.credentials.schemas import Schemas
from microcred.planner.saved import SavedPlans
from microcred.planner.service import Planner
from microcred.reference.loader import ReferenceLoader
from microcred.reference.queries import Reference
from microcred.search.service import Search, default_index_path
from microcred.settings import Settings
from microcred.skills.engine import Skills
from microcred.store import migrate
from microcred.store.engine import Store


class Microcred:
    """One microcred installation: its settings, its store and its services."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.store = Store.from_url(self.settings.database_url, echo=self.settings.sql_echo)
        self.catalog = Catalog(self.store)
        self.reference = Reference(self.store)
        self.reference_loader = ReferenceLoader(self.store)
        self.skills = Skills(self.store, semantic_mode=self.settings.semantic)
        self.planner = Planner(self.store, self.skills)
        self.plans = SavedPlans(self.store, self.planner)
        self.search = Search(
            self.store,
            self.settings.search_index_dir or default_index_path(self.settings.database_url),
            self.skills,
        )
        self.accounts = Accounts(
            self.store,
            session_hours=self.settings.session_hours,
            time_cost=self.settings.argon2_time_cost,
            memory_kib=self.settings.argon2_memory_kib,
            max_failures=self.settings.login_max_failures,
            pause_minutes=self.settings.login_pause_minutes,
        )

    @cached_property
    def issuer_keys(self) -> IssuerKeys:
        """Issuers' signing keys (the key secret is read on first use)."""
        web = None
        if self.settings.issuer_did == "web" and self.settings.public_url:
            web = urlsplit(self.settings.public_url).netloc
        remote = (
            RemoteDocuments(insecure=self.settings.fetch_insecure)
            if self.settings.fetch_remote
            else None
        )
        return IssuerKeys(
            self.store,
            secret_for(self.settings),
            web_host=web,
            root=self.settings.root_issuer,
            remote=remote,
        )

    @cached_property
    def credentials(self) -> Issuance:
        """Issuing, revoking and publishing Open Badges 3.0 credentials."""
        settings = self.settings
        base = settings.public_url or f"http://{settings.host}:{settings.port}"
        return Issuance(
            self.store,
            self.issuer_keys,
            Schemas(self.store),
            base_url=base,
            secret=secret_for(settings),
        )

    def migrate(self) -> None:
        """Create or upgrade the database schema to this version's."""
        migrate.upgrade(self.store)

    def check_schema(self) -> None:
        """Raise ConfigurationError when the database needs ``microcred db upgrade``."""
        migrate.require_current(self.store)

    def close(self) -> None:
        """Release database connections (and a temporary search index)."""
        self.skills.close()
        self.search.close()
        self.store.dispose()

    def __enter__(self) -> Microcred:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
