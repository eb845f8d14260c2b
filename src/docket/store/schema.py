"""The store's tables, declared once with SQLAlchemy Core (portable to PostgreSQL)."""

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

documents = Table(
    "documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("filename", Text),
    Column("media_type", String(100), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("publisher", Text),
    Column("speaker", Text),
    Column("published", String(10)),
    Column("genre", String(50)),
    Column("source_url", Text),
    Column("ingested_at", String(32), nullable=False),
    # the year of the earliest dated event the document reports: undated claims are compared at it
    # (schema version 4; see resolve/clusters.py)
    Column("anchor_year", Integer),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("attributed_to", Text),
    Column("agent", Text),
    Column("affected", Text),
    Column("quantity_value", Integer),
    Column("quantity_low", Integer),
    Column("quantity_high", Integer),
    Column("quantity_qualifier", String(20)),
    Column("quantity_unit", Text),
    Column("object_category", String(40)),
    Column("object_name", Text),
    Column("when_start", String(10)),
    Column("when_end", String(10)),
    Column("when_precision", String(5)),
    Column("when_ongoing", Boolean),
    Column("instrument", Text),
    Column("company", Text),
    Column("parent_company", Text),
    Column("site", Text),
    Column("weapons", Text),
    Column("minerals", Text),
    Column("corroborated_by", Text),
    Column("status", String(20), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Index("ix_claims_kind", "kind"),
    Index("ix_claims_document", "document_sha256"),
    Index("ix_claims_when", "when_start"),
    # counts of a kind (and period) without reading the table (schema version 4)
    Index("ix_claims_kind_status_when", "kind", "status", "when_start"),
)

claim_places = Table(
    "claim_places",
    metadata,
    Column("claim_id", String(40), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("ord", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("mention", Text, nullable=False),
    Column("place_id", Text),
    Column("geonames_id", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("feature", String(40)),
    Column("admin_path", Text),
    Index("ix_claim_places_name", "name"),
    Index("ix_claim_places_place", "place_id"),
)

# every place a claim is about and every place those lie in, each with the claim's digest (model.ClaimDigest):
# "claims about Kalbajar or anything inside it" is one range of the primary key, and a place's sources are
# compared from these rows alone, without reading its claims whole (schema version 5; it replaces the
# `claim_areas` table of version 2, which held the first two columns). SQLite keeps the rows in key
# order (WITHOUT ROWID), so one place's rows lie together.
area_claims = Table(
    "area_claims",
    metadata,
    Column("place_id", String(80), primary_key=True),
    Column("claim_id", String(40), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("when_start", String(10)),
    Column("when_ongoing", Boolean),
    Column("document_sha256", String(64)),
    Column("places", Text, nullable=False),  # the claim's resolved place ids in order, space-separated
    Column("thing", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("quantity_value", Integer),
    Column("quantity_low", Integer),
    Column("quantity_high", Integer),
    Column("quantity_qualifier", String(20)),
    Column("quantity_unit", Text),
    Column("when_precision", String(5)),  # schema version 8: what incidents are told apart by
    Column("when_end", String(10)),
    Column("part", Boolean),  # the figure is part of a total given with it
    Column("measure", String(20)),  # schema version 9: what the figure counts (killed, injured, …)
    Column("series", String(10)),  # an ongoing figure: cumulative or stock
    Column("as_of", String(10)),  # the document's date, which orders a series
    Column("echo", String(80)),  # the LSH keys of the claim's sentence (resolve/echoes.py)
    Index("ix_area_claims_kind", "place_id", "kind", "status", "when_start"),
    Index("ix_area_claims_claim", "claim_id"),
    sqlite_with_rowid=False,
)

# relations between entities that documents state, anchored like claims (schema version 2)
relations = Table(
    "relations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), nullable=False),
    Column("subject", Text, nullable=False),
    Column("predicate", String(40), nullable=False),
    Column("object", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("attributed_to", Text),
    Index("ix_relations_document", "document_sha256"),
)

# the user's entity decisions, replayed in order (schema version 2)
entity_decisions = Table(
    "entity_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(10), nullable=False),
    Column("a", Text, nullable=False),
    Column("b", Text),
    Column("author", Text),
    Column("reason", Text),
    Column("made_at", String(32), nullable=False),
)

# an analyst's incident decisions (resolve/grading.py), replayed in order over every clustering: a merge
# (the incident holding `other` joins the one holding `claim`), a split (`claim` stands alone), a grade
# (of the incident holding `claim`). Anchored on claims, never on cluster ids, which change whenever
# clustering does. Only ever appended: a later grade replaces an earlier one when replayed.
incident_decisions = Table(
    "incident_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(10), nullable=False),
    Column("claim", String(40), nullable=False),
    Column("other", String(40)),
    Column("grade", String(20)),
    Column("author", Text),
    Column("reason", Text),
    Column("made_at", String(32), nullable=False),
    Index("ix_incident_decisions_claim", "claim"),
)

# every version of a reviewed claim: the claim as it was (its whole contract), who made it, when and why
# (schema version 3). The claims table holds the current version.
claim_versions = Table(
    "claim_versions",
    metadata,
    Column("claim_id", String(40), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("data", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("reason", Text),
    Column("made_at", String(32), nullable=False),
)

# the write log (schema version 6): one entry per write, each carrying the SHA-256 of the one before it
# (a hash chain; store/chain.py). Entries are only ever appended.
log = Table(
    "log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", Text),
    Column("action", String(40), nullable=False),
    Column("subject", Text),  # the document's SHA-256, the claim's id, the entity decision's number
    Column("data", Text, nullable=False),  # canonical JSON: what the entry vouches for
    Column("prev", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_log_subject", "subject"),
)

# the newest entry's number and hash: one row, updated with every entry (it is also the writers' lock)
log_head = Table(
    "log_head",
    metadata,
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# accounts (services/accounts.py decides what each may do). A password is kept only as its argon2 hash and
# an API token only as its SHA-256; neither reaches the log, which vouches for the other columns (store/chain.py)
users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),  # argon2id, with its salt and parameters
    Column("role", String(10), nullable=False),  # reader | analyst | admin
    Column("disabled", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("password_set_at", String(32), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(64), ForeignKey("users.name"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),  # never the token itself
    Column("scope", String(5), nullable=False),  # read | write
    Column("expires_at", String(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False),
    Index("ix_tokens_user", "user_name"),
)

# groups of accounts, managed by admins; restricted documents will be visible to their groups' members
groups = Table(
    "groups",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("description", Text),
    Column("created_at", String(32), nullable=False),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_name", String(64), ForeignKey("groups.name"), primary_key=True),
    Column("user_name", String(64), ForeignKey("users.name"), primary_key=True),
    Column("added_at", String(32), nullable=False),
    Index("ix_group_members_user", "user_name"),
)
