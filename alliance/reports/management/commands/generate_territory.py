"""Builds a territory at scale for the reports benchmark, in PostgreSQL, in minutes.

    manage.py generate_territory --alliances 100000 --statements 1000000 --organisations 300

This is a benchmark generator, not demo data: it writes rows straight into the
tables with PostgreSQL's COPY (through psycopg), bypassing the use cases, their
permission checks and the audit trail, because a million statements through the
use cases would take hours. Use it only on a database of its own (the benchmark
uses ``alliance_reports_bench``), never on one people work in.

The shape follows the product's rules where the reports read them: one person per
alliance, a signed charter whose common interests are adopted statements, needs
coded on about two interests in three (SERAFIN-PH, sometimes the organisation's own
domain), means with stances of both sides, decisions, and availability histories
(waiting, refused, not existing, available) with their dates.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from alliance.accounts.models import Organisation, User
from alliance.alliances.models import Role
from alliance.alliances.needs import serafin_needs

TERRITORY = "Territoire de référence"
STATUSES = ("waiting", "waiting", "refused", "not_existing", "available", "available")
STANCES = ("support", "support", "reservations", "oppose")
KINDS = ("interest", "goal", "means", "concern", "capacity")
WORDS = (
    "aller à l'école du quartier",
    "trouver un logement",
    "avoir un travail",
    "prendre le bus seul",
    "voir mes amis",
    "être soigné près de chez moi",
    "gérer mon budget",
    "un temps de répit pour la famille",
)


class Command(BaseCommand):
    help = "Generate a territory at scale for the reports benchmark (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--alliances", type=int, default=100_000)
        parser.add_argument("--statements", type=int, default=1_000_000)
        parser.add_argument("--organisations", type=int, default=300)
        parser.add_argument("--seed", type=int, default=5)
        parser.add_argument("--territory", default=TERRITORY)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_territory writes with COPY: PostgreSQL only.")
        if Organisation.objects.filter(territory=options["territory"]).exists():
            raise CommandError(
                f"The territory {options['territory']!r} already exists in this database."
            )
        started = timezone.now()
        counts = Territory(options, self.stdout).build()
        seconds = (timezone.now() - started).total_seconds()
        summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
        self.stdout.write(f"Generated in {seconds:.1f} s: {summary}.")


def _next_ids(table: str, count: int) -> range:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (our names)
        start = cursor.fetchone()[0] + 1
    return range(start, start + count)


class Territory:
    def __init__(self, options, out):
        self.rng = random.Random(options["seed"])
        self.alliances = options["alliances"]
        self.statements = max(options["statements"], 2 * self.alliances)
        self.organisations = options["organisations"]
        self.territory = options["territory"]
        self.out = out
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.codes = [c for c, _label, parent in serafin_needs() if c.count(".") >= 2]
        self.counts = {}

    def _copy(self, table: str, columns: tuple[str, ...], rows) -> None:
        n = 0
        raw = connection.connection
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        self.counts[table] = self.counts.get(table, 0) + n
        self.out.write(f"  {table}: {n:,} rows")

    def _moment(self, days_back: int) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(0, days_back), seconds=self.rng.randint(0, 86_399)
        )

    @transaction.atomic
    def build(self) -> dict:
        rng = self.rng
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Service {n + 1} du territoire", territory=self.territory)
            for n in range(self.organisations)
        )
        self.counts["accounts_organisation"] = len(organisations)
        creators = User.objects.bulk_create(
            User(
                display_name=f"Professionnel·le {o.pk}",
                kind=User.Kind.PROFESSIONAL,
                organisation=o,
                password=make_password(None),
            )
            for o in organisations
        )
        people = User.objects.bulk_create(
            User(
                display_name=f"Allié·e {n}", kind=User.Kind.INDIVIDUAL, password=make_password(None)
            )
            for n in range(3)
        )
        self.counts["accounts_user"] = len(creators) + len(people)
        domains = {}
        from alliance.reports.models import CustomNeedDomain

        for o in organisations:
            domains[o.pk] = CustomNeedDomain.objects.create(organisation=o, name="Répit").pk

        alliance_ids = _next_ids("alliances_alliance", self.alliances)
        owner = [rng.randrange(len(organisations)) for _ in alliance_ids]
        created = [self._moment(3 * 365) for _ in alliance_ids]
        self._copy(
            "alliances_alliance",
            (
                "id",
                "title",
                "situation",
                "organisation_id",
                "person_is_protected",
                "created_by_id",
                "created_at",
            ),
            (
                (
                    a,
                    f"Alliance {a}",
                    "",
                    organisations[owner[i]].pk,
                    rng.random() < 0.3,
                    creators[owner[i]].pk,
                    created[i],
                )
                for i, a in enumerate(alliance_ids)
            ),
        )

        # Allies: the person, a relative or representative, one or two professionals.
        roles_of = []
        for _a in alliance_ids:
            roles = [Role.PERSON, rng.choice([Role.REPRESENTATIVE, Role.RELATIVE])]
            roles.append(Role.PROFESSIONAL)
            roles_of.append(roles)
            if rng.random() < 0.4:
                roles.insert(2, Role.TRUSTED_PERSON)
        ally_ids = iter(_next_ids("alliances_ally", sum(len(r) for r in roles_of)))
        allies = []  # per alliance: [(ally id, role)]
        rows = []
        for i, a in enumerate(alliance_ids):
            mine = []
            for n, role in enumerate(roles_of[i]):
                # A few pooled accounts: an account is in an alliance once, whatever its role.
                user = creators[owner[i]].pk if role == Role.PROFESSIONAL else people[n].pk
                ally = next(ally_ids)
                mine.append((ally, role))
                rows.append((ally, a, user, role, "active", "", "", created[i], created[i]))
            allies.append(mine)
        self._copy(
            "alliances_ally",
            (
                "id",
                "alliance_id",
                "user_id",
                "role",
                "status",
                "recognition_brings",
                "recognition_expects",
                "created_at",
                "joined_at",
            ),
            rows,
        )
        del rows

        charter_ids = _next_ids("alliances_charter", self.alliances)
        self._copy(
            "alliances_charter",
            (
                "id",
                "alliance_id",
                "number",
                "status",
                "shared_understanding",
                "revision",
                "created_at",
                "signed_at",
            ),
            (
                (c, a, 1, "signed", "", 3, created[i], created[i])
                for i, (c, a) in enumerate(zip(charter_ids, alliance_ids, strict=True))
            ),
        )

        # Statements: each alliance gets at least two (its adopted interests).
        per = [2] * self.alliances
        for _extra in range(self.statements - 2 * self.alliances):
            per[rng.randrange(self.alliances)] += 1
        statement_ids = iter(_next_ids("alliances_statement", self.statements))
        adopted = []  # (statement id, alliance index, text, author)

        def statement_rows():
            for i, a in enumerate(alliance_ids):
                for n in range(per[i]):
                    s = next(statement_ids)
                    author = allies[i][rng.randrange(len(allies[i]))][0]
                    text = rng.choice(WORDS)
                    kind = "interest" if n < 2 else rng.choice(KINDS)
                    moment = created[i] + datetime.timedelta(days=rng.randint(0, 30))
                    # The generated words name nobody: quoted ones are confirmed as is.
                    quoted = rng.random() < 0.1
                    quote = text if quoted else ""
                    yield (s, a, author, kind, text, quoted, quote, 1, moment, moment)
                    if n < 2:
                        adopted.append((s, i, text, author))

        self._copy(
            "alliances_statement",
            (
                "id",
                "alliance_id",
                "author_id",
                "kind",
                "text",
                "may_quote",
                "quote_text",
                "version",
                "created_at",
                "updated_at",
            ),
            statement_rows(),
        )
        interest_ids = iter(_next_ids("alliances_charterinterest", len(adopted)))
        self._copy(
            "alliances_charterinterest",
            ("id", "charter_id", "statement_id", "text", "adopted_by_id"),
            (
                (next(interest_ids), charter_ids[i], s, text, author)
                for s, i, text, author in adopted
            ),
        )
        codings = []
        for s, i, _text, author in adopted:
            pick = rng.random()
            if pick < 0.6:
                codings.append((s, alliance_ids[i], rng.choice(self.codes), None, author))
            elif pick < 0.67:
                codings.append(
                    (s, alliance_ids[i], "", domains[organisations[owner[i]].pk], author)
                )
        coding_ids = iter(_next_ids("reports_needcoding", len(codings)))
        self._copy(
            "reports_needcoding",
            (
                "id",
                "statement_id",
                "alliance_id",
                "serafin_code",
                "custom_domain_id",
                "coded_by_id",
                "coded_at",
            ),
            ((next(coding_ids), *row, self.now) for row in codings),
        )

        # Means: one or two per alliance, on its first adopted interest.
        options = []  # (option id, alliance index)
        option_rows = []
        option_ids = iter(_next_ids("acting_meansoption", 2 * self.alliances))
        for index in range(0, len(adopted), 2):
            s, i, text, author = adopted[index]
            for _n in range(1 + (rng.random() < 0.5)):
                o = next(option_ids)
                code = rng.choice(self.codes) if rng.random() < 0.8 else ""
                moment = created[i] + datetime.timedelta(days=rng.randint(20, 60))
                options.append((o, i))
                option_rows.append(
                    (o, alliance_ids[i], s, text, "Un moyen", author, code, "", "", 1, moment)
                )
        self._copy(
            "acting_meansoption",
            (
                "id",
                "alliance_id",
                "interest_statement_id",
                "interest_text",
                "description",
                "proposed_by_id",
                "need_code",
                "availability",
                "availability_note",
                "version",
                "created_at",
            ),
            option_rows,
        )
        stance_ids = iter(_next_ids("acting_stance", 5 * len(options)))
        stances = []
        decisions = []
        changes = []
        for o, i in options:
            for ally, _role in allies[i]:
                # As take_stance keeps them: each stance ends when the next one is taken.
                moments = sorted(self._moment(500) for _t in range(1 + (rng.random() < 0.2)))
                for taken_at, superseded_at in zip(moments, [*moments[1:], None], strict=True):
                    stances.append(
                        (
                            next(stance_ids),
                            o,
                            ally,
                            rng.choice(STANCES),
                            "",
                            taken_at,
                            superseded_at,
                        )
                    )
            if rng.random() < 0.6:
                decisions.append((o, allies[i][0][0], "", "[]", self._moment(500)))
                for _c in range(1 + (rng.random() < 0.4)):
                    since = self.today - datetime.timedelta(days=rng.randint(0, 730))
                    changes.append((o, rng.choice(STATUSES), since, "", allies[i][-1][0]))
        self._copy(
            "acting_stance",
            ("id", "option_id", "ally_id", "value", "reason", "taken_at", "superseded_at"),
            stances,
        )
        decision_ids = iter(_next_ids("acting_meansdecision", len(decisions)))
        self._copy(
            "acting_meansdecision",
            ("id", "option_id", "decided_by_id", "note", "dissent", "decided_at"),
            ((next(decision_ids), *row) for row in decisions),
        )
        change_ids = iter(_next_ids("acting_availabilitychange", len(changes)))
        self._copy(
            "acting_availabilitychange",
            ("id", "option_id", "status", "since", "note", "changed_by_id", "changed_at"),
            ((next(change_ids), *row, self.now) for row in changes),
        )
        self._reset_sequences()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.counts

    def _reset_sequences(self):
        with connection.cursor() as cursor:
            for table in self.counts:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
