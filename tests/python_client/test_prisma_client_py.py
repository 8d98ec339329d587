#!/usr/bin/env python3
"""The real Prisma Client Python (0.15.0, ../shared/clients) with prisma-cpp as its query engine.

    test_prisma_client_py.py <prisma-cpp> <work dir> sqlite
    test_prisma_client_py.py <prisma-cpp> <work dir> postgresql <server url>

Generates the client for tests/python_client/schema.<provider>.prisma with the Prisma CLI 5.19.0
(the CLI the client's generator is made for; from the npm registry, cached in <work dir>/npm),
pushes the schema with `prisma-cpp db push`, then runs the workload below in a fresh Python with
PRISMA_QUERY_ENGINE_BINARY naming `prisma-query-engine` (a link to prisma-cpp): the client starts
it, waits on GET /status and speaks Prisma's GraphQL protocol to it. Every action of the client,
filters, paging, includes with arguments, nested writes, batches, interactive transactions (commit,
rollback, timeout), raw SQL, count/group_by, the error classes, and the value types.

Exit 77 (a skip) only where Node.js or npm is missing; any other failure fails. The client needs
Debian's python3-pydantic, -httpx, -jinja2, -click, -dotenv, -tomlkit, -typing-extensions under
/usr/bin/python3 (`scripts/dev test` installs them).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLIENT_SOURCE_ENV = 'PRISMA_CPP_CLIENTS_DIR'


def fail(msg):
    print(f'FAIL: {msg}', file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print(f'SKIP: {msg}')
    sys.exit(77)


def client_source() -> Path:
    """prisma-client-py's source: $PRISMA_CPP_CLIENTS_DIR, else ../shared/clients beside the checkout."""
    base = os.environ.get(CLIENT_SOURCE_ENV)
    candidates = [Path(base)] if base else [HERE.parents[2] / 'shared' / 'clients', HERE.parents[3] / 'shared' / 'clients']
    for c in candidates:
        p = c / 'prisma-client-py-0.15.0' / 'prisma'
        if p.is_dir():
            return p
    fail(f'no prisma-client-py-0.15.0 under {", ".join(map(str, candidates))} (set {CLIENT_SOURCE_ENV})')


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail(f'{" ".join(map(str, cmd))} exited {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    return r


def setup(prisma_cpp: Path, work: Path, provider: str, url: str) -> dict:
    node, npm = shutil.which('node'), shutil.which('npm')
    if not node or not npm:
        skip('Node.js and npm are needed to run the Prisma CLI that generates the Python client (prisma generate)')
    npm_dir = work / 'npm'
    cli = npm_dir / 'node_modules' / 'prisma' / 'build' / 'index.js'
    if not cli.exists():
        npm_dir.mkdir(parents=True, exist_ok=True)
        r = subprocess.run([npm, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', str(npm_dir), 'prisma@5.19.0'],
                           capture_output=True, text=True)
        if r.returncode != 0:
            # a skip only when the registry cannot be reached at all; any other failure fails
            if subprocess.run([npm, 'ping'], capture_output=True).returncode != 0:
                skip('the npm registry is unreachable (npm install prisma@5.19.0 for prisma generate)')
            fail(f'npm install prisma@5.19.0 failed although the registry answers:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}')
    case = work / provider
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir(parents=True)
    # the client's package: the generator writes the client into it, so a copy
    shutil.copytree(client_source(), case / 'py' / 'prisma')
    for p in (case / 'py').rglob('*'):
        p.chmod(p.stat().st_mode | 0o200)
    schema = case / 'schema.prisma'
    schema.write_text((HERE / f'schema.{provider}.prisma').read_text())
    engine = case / 'prisma-query-engine'
    engine.symlink_to(prisma_cpp)
    fake_schema_engine = case / 'schema-engine'
    fake_schema_engine.write_text('#!/bin/sh\necho "schema-engine-cli 5fe21811a6ba0b952a3bc71400666511fe3b902f"\n')
    fake_schema_engine.chmod(0o755)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        PYTHONPATH=str(case / 'py'),
        PRISMA_QUERY_ENGINE_BINARY=str(engine),
        PRISMA_SCHEMA_ENGINE_BINARY=str(fake_schema_engine),
        PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING='1',
        PRISMA_CLI_QUERY_ENGINE_TYPE='binary',
        PRISMA_HIDE_UPDATE_MESSAGE='1',
        CHECKPOINT_DISABLE='1',
        PATH=f'{Path(sys.executable).parent}:{env.get("PATH", "")}',
    )
    env.pop('PYTHONOPTIMIZE', None)
    run([node, str(cli), 'generate', '--schema', str(schema)], env=env, cwd=case)
    if not (case / 'py' / 'prisma' / 'client.py').exists():
        fail('prisma generate wrote no client.py')
    run([str(prisma_cpp), 'db', 'push', '--schema', str(schema), '--force-reset', '--accept-data-loss'], env=env, cwd=case)
    env['PRISMA_CPP_TEST_PROVIDER'] = provider
    return {'env': env, 'cwd': case}


# ---------------------------------------------------------------------------------------------------
# The workload, in a fresh interpreter that imports the generated client.

def check(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_error(cls, fn, what):
    try:
        fn()
    except cls as e:
        return e
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f'{what}: raised {type(e).__name__}: {e}, not {cls.__name__}') from e
    raise AssertionError(f'{what}: no {cls.__name__} raised')


def workload():
    import datetime
    import decimal
    import time
    from datetime import timedelta, timezone

    from prisma import Prisma, errors, fields, Base64  # noqa: F401
    from prisma.models import User, Post

    pg = os.environ['PRISMA_CPP_TEST_PROVIDER'] == 'postgresql'
    db = Prisma()
    db.connect()
    ran = []

    def step(name):
        ran.append(name)

    # --- create, nested create, include; the value types round trip -------------------------
    when = datetime.datetime(2024, 5, 17, 8, 30, 15, 123000, tzinfo=timezone.utc)
    data = {
        'email': 'alice@example.com', 'name': 'Alice', 'age': 30,
        'balance': decimal.Decimal('12345.678'), 'big': 2**62 + 7, 'score': 1.5, 'active': True,
        'avatar': Base64.encode(b'\x00\x01\xfe\xff'), 'born': when,
        'posts': {'create': [{'title': 'Hello', 'views': 10, 'published': True}, {'title': 'Draft', 'views': 1}]},
        'profile': {'create': {'bio': 'writes things'}},
    }
    if pg:
        data['role'] = 'ADMIN'
        data['meta'] = fields.Json({'tags': ['a', 'b'], 'n': 1, 'nested': {'x': None}})
        data['nicknames'] = ['ali', 'al']
    alice = db.user.create(data, include={'posts': True, 'profile': True})
    check(alice.email == 'alice@example.com' and alice.age == 30, f'create: {alice}')
    check(alice.balance == decimal.Decimal('12345.678'), f'Decimal: {alice.balance!r}')
    check(alice.big == 2**62 + 7, f'BigInt: {alice.big!r}')
    check(alice.score == 1.5 and alice.active is True, 'Float, Boolean')
    check(alice.avatar.decode() == b'\x00\x01\xfe\xff', f'Bytes: {alice.avatar!r}')
    check(alice.born == when, f'DateTime: {alice.born!r} != {when!r}')
    check(sorted(p.title for p in alice.posts) == ['Draft', 'Hello'], f'nested create + include: {alice.posts}')
    check(alice.profile is not None and alice.profile.bio == 'writes things', 'nested to-one create')
    if pg:
        check(alice.role == 'ADMIN', f'enum: {alice.role!r}')
        check(alice.meta == {'tags': ['a', 'b'], 'n': 1, 'nested': {'x': None}}, f'Json: {alice.meta!r}')
        check(alice.nicknames == ['ali', 'al'], f'scalar list: {alice.nicknames!r}')
    step('create')

    bob = db.user.create({'email': 'bob@example.com', 'name': 'bob', 'age': 25})
    carol = db.user.create({'email': 'CAROL@example.com', 'age': 41})
    check(carol.name is None, 'optional left out is None')
    step('create (optional fields)')

    # --- create_many ------------------------------------------------------------------------------
    n = db.post.create_many([{'title': f'bulk {i}', 'authorId': bob.id, 'views': i} for i in range(5)])
    check(n == 5, f'create_many count: {n}')
    if pg:
        n = db.post.create_many([{'title': 'bulk 0', 'authorId': bob.id}, {'title': 'bulk 9', 'authorId': bob.id}],
                                skip_duplicates=True)
        check(n == 1, f'create_many skip_duplicates on the compound unique: {n}')
        check(db.post.delete(where={'authorId_title': {'authorId': bob.id, 'title': 'bulk 9'}}) is not None,
              'the row skip_duplicates did write')
    step('create_many')

    # --- find_unique: id, unique field, compound unique; or_raise ------------------------------
    check(db.user.find_unique(where={'id': alice.id}).email == 'alice@example.com', 'find_unique by id')
    check(db.user.find_unique(where={'email': 'bob@example.com'}).id == bob.id, 'find_unique by unique')
    p = db.post.find_unique(where={'authorId_title': {'authorId': alice.id, 'title': 'Hello'}})
    check(p is not None and p.views == 10, f'find_unique by compound unique: {p}')
    check(db.user.find_unique(where={'id': 999999}) is None, 'find_unique of nothing is None')
    expect_error(errors.RecordNotFoundError, lambda: db.user.find_unique_or_raise(where={'id': 999999}),
                 'find_unique_or_raise')
    step('find_unique')

    # --- find_first, find_first_or_raise --------------------------------------------------------
    first = db.post.find_first(where={'authorId': bob.id}, order={'views': 'desc'})
    check(first.title == 'bulk 4', f'find_first with order: {first}')
    expect_error(errors.RecordNotFoundError, lambda: db.post.find_first_or_raise(where={'title': 'nope'}),
                 'find_first_or_raise')
    step('find_first')

    # --- find_many: filters ----------------------------------------------------------------------
    def emails(users):
        return sorted(u.email for u in users)

    check(emails(db.user.find_many(where={'email': {'contains': 'example'}})) ==
          ['CAROL@example.com', 'alice@example.com', 'bob@example.com'], 'contains')
    check(emails(db.user.find_many(where={'email': {'startswith': 'b'}})) == ['bob@example.com'], 'startswith')
    check(emails(db.user.find_many(where={'age': {'gte': 30}})) == ['CAROL@example.com', 'alice@example.com'], 'gte')
    check(emails(db.user.find_many(where={'age': {'in': [25, 41]}})) == ['CAROL@example.com', 'bob@example.com'], 'in')
    check(emails(db.user.find_many(where={'age': {'not_in': [25, 41]}})) == ['alice@example.com'], 'not_in')
    check(emails(db.user.find_many(where={'name': {'not': 'bob'}})) == ['alice@example.com'],
          'not on a nullable column leaves NULL rows out (Prisma)')
    check(emails(db.user.find_many(where={'name': None})) == ['CAROL@example.com'], 'equals null')
    check(emails(db.user.find_many(where={'OR': [{'age': 25}, {'age': 41}], 'NOT': [{'email': {'endswith': 'om'}, 'age': 41}]})) ==
          ['bob@example.com'], 'OR and NOT')
    check(emails(db.user.find_many(where={'AND': [{'age': {'gt': 20}}, {'age': {'lt': 35}}]})) ==
          ['alice@example.com', 'bob@example.com'], 'AND')
    if pg:
        check(emails(db.user.find_many(where={'email': {'contains': 'carol', 'mode': 'insensitive'}})) ==
              ['CAROL@example.com'], 'mode insensitive')
        check(emails(db.user.find_many(where={'email': {'equals': 'carol@EXAMPLE.com', 'mode': 'insensitive'}})) ==
              ['CAROL@example.com'], 'equals with mode insensitive')
        check(emails(db.user.find_many(where={'role': 'ADMIN'})) == ['alice@example.com'], 'enum filter')
        check(emails(db.user.find_many(where={'nicknames': {'has': 'al'}})) == ['alice@example.com'], 'list has')
        check(emails(db.user.find_many(where={'nicknames': {'has_some': ['x', 'ali']}})) == ['alice@example.com'], 'hasSome')
        check(emails(db.user.find_many(where={'nicknames': {'has_every': ['ali', 'al']}})) == ['alice@example.com'], 'hasEvery')
        # a list never written is NULL, which isEmpty does not match (Prisma's docs say so); [] is empty
        check(db.user.find_many(where={'nicknames': {'is_empty': True}}) == [], 'isEmpty leaves NULL lists out')
        db.user.update(where={'id': carol.id}, data={'nicknames': {'set': []}})
        check(emails(db.user.find_many(where={'nicknames': {'is_empty': True}})) == ['CAROL@example.com'], 'isEmpty')
        db.user.update(where={'id': carol.id}, data={'nicknames': {'push': 'cc'}})
        db.user.update(where={'id': carol.id}, data={'nicknames': {'push': ['c"1', 'c,2']}})
        check(db.user.find_unique(where={'id': carol.id}).nicknames == ['cc', 'c"1', 'c,2'], 'push one and a list')
        check(emails(db.user.find_many(where={'nicknames': {'equals': ['cc', 'c"1', 'c,2']}})) == ['CAROL@example.com'],
              'list equals')
    # relation filters
    check(emails(db.user.find_many(where={'posts': {'some': {'published': True}}})) == ['alice@example.com'], 'some')
    check(emails(db.user.find_many(where={'posts': {'none': {}}})) == ['CAROL@example.com'], 'none')
    check(emails(db.user.find_many(where={'posts': {'every': {'views': {'lt': 100}}}})) ==
          ['CAROL@example.com', 'alice@example.com', 'bob@example.com'], 'every')
    check(sorted(p.title for p in db.post.find_many(where={'author': {'is': {'email': 'alice@example.com'}}})) ==
          ['Draft', 'Hello'], 'is')
    check(len(db.post.find_many(where={'author': {'is_not': {'email': 'alice@example.com'}}})) >= 5, 'is_not')
    check(emails(db.user.find_many(where={'profile': {'is': {'bio': {'contains': 'things'}}}})) == ['alice@example.com'],
          'to-one relation filter')
    step('find_many filters')

    # --- order, take, skip, cursor, distinct ---------------------------------------------------
    page = db.post.find_many(where={'authorId': bob.id}, order={'views': 'asc'}, take=2, skip=1)
    check([p.views for p in page] == [1, 2], f'take/skip: {[p.views for p in page]}')
    after = db.post.find_many(where={'authorId': bob.id}, order={'id': 'asc'}, cursor={'id': page[0].id}, take=2)
    check([p.id for p in after] == [page[0].id, page[1].id], 'cursor')
    last = db.post.find_many(where={'authorId': bob.id}, order={'id': 'asc'}, take=-2)
    check(len(last) == 2 and last[0].id < last[1].id, 'negative take')
    both = db.post.find_many(order=[{'authorId': 'asc'}, {'views': 'desc'}])
    check(both[0].authorId == alice.id and both[0].views == 10, 'orderBy a list')
    distinct = db.post.find_many(distinct=['authorId'], order={'authorId': 'asc'})
    check([p.authorId for p in distinct] == [alice.id, bob.id], f'distinct: {[p.authorId for p in distinct]}')
    step('order/take/skip/cursor/distinct')

    # --- include with nested arguments; m:n --------------------------------------------------------
    t1 = db.tag.create({'name': 'c++'})
    t2 = db.tag.create({'name': 'sql'})
    db.post.update(where={'id': p.id}, data={'tags': {'connect': [{'id': t1.id}, {'id': t2.id}]}})
    u = db.user.find_unique(where={'id': alice.id}, include={
        'posts': {'where': {'views': {'gt': 5}}, 'order_by': {'id': 'desc'}, 'take': 5, 'include': {'tags': True}},
        'profile': True,
    })
    check(len(u.posts) == 1 and u.posts[0].title == 'Hello', f'include where: {u.posts}')
    check(sorted(t.name for t in u.posts[0].tags) == ['c++', 'sql'], 'nested include through m:n')
    tag = db.tag.find_unique(where={'name': 'sql'}, include={'posts': {'include': {'author': True}}})
    check(tag.posts[0].author.email == 'alice@example.com', 'm:n back side with a nested to-one')
    step('include')

    # --- nested writes ---------------------------------------------------------------------------------
    u = db.user.update(where={'id': bob.id}, data={
        'posts': {
            'create': [{'title': 'nested new'}],
            'delete': [{'authorId_title': {'authorId': bob.id, 'title': 'bulk 0'}}],
        },
        'profile': {'create': {'bio': 'bob bio'}},
    }, include={'posts': True, 'profile': True})
    titles = sorted(p.title for p in u.posts)
    check('nested new' in titles and 'bulk 0' not in titles, f'nested create/delete: {titles}')
    check(u.profile.bio == 'bob bio', 'nested to-one create in update')
    moved = db.post.find_first(where={'title': 'nested new'})
    db.user.update(where={'id': carol.id}, data={'posts': {'connect': [{'id': moved.id}]}})
    check(db.post.find_unique(where={'id': moved.id}).authorId == carol.id, 'nested connect')
    c = db.tag.upsert(where={'name': 'python'}, data={'create': {'name': 'python'}, 'update': {}})
    db.post.update(where={'id': moved.id}, data={'tags': {
        'connect_or_create': [{'where': {'name': 'rust'}, 'create': {'name': 'rust'}}],
        'connect': [{'id': c.id}],
    }})
    check(sorted(t.name for t in db.post.find_unique(where={'id': moved.id}, include={'tags': True}).tags) == ['python', 'rust'],
          'connect_or_create and connect on m:n')
    db.post.update(where={'id': moved.id}, data={'tags': {'set': [{'name': 'rust'}]}})
    check([t.name for t in db.post.find_unique(where={'id': moved.id}, include={'tags': True}).tags] == ['rust'], 'm:n set')
    db.post.update(where={'id': moved.id}, data={'tags': {'disconnect': [{'name': 'rust'}]}})
    check(db.post.find_unique(where={'id': moved.id}, include={'tags': True}).tags == [], 'm:n disconnect')
    step('nested writes')

    # --- update, update_many, upsert, delete, delete_many ------------------------------------------
    u = db.user.update(where={'id': bob.id}, data={'age': {'increment': 5}, 'name': 'Bob'})
    check(u.age == 30 and u.name == 'Bob', f'update with increment: {u}')
    check(db.user.update(where={'id': 999999}, data={'age': 1}) is None, 'update of nothing is None (the client\'s answer to P2025)')
    n = db.post.update_many(where={'authorId': bob.id}, data={'views': 100})
    check(n >= 4, f'update_many: {n}')
    up = db.user.upsert(where={'email': 'dave@example.com'}, data={'create': {'email': 'dave@example.com', 'age': 1},
                                                                  'update': {'age': 2}})
    check(up.age == 1, 'upsert creates')
    up = db.user.upsert(where={'email': 'dave@example.com'}, data={'create': {'email': 'dave@example.com', 'age': 1},
                                                                  'update': {'age': 2}})
    check(up.age == 2, 'upsert updates')
    gone = db.user.delete(where={'email': 'dave@example.com'})
    check(gone.email == 'dave@example.com', 'delete returns the row')
    check(db.user.delete(where={'email': 'dave@example.com'}) is None, 'delete of nothing is None')
    n = db.post.delete_many(where={'title': {'startswith': 'bulk'}, 'authorId': bob.id, 'views': 100})
    check(n >= 3, f'delete_many: {n}')
    step('update/upsert/delete')

    # --- count, group_by ---------------------------------------------------------------------------
    check(db.user.count() == 3, 'count')
    check(db.user.count(where={'age': {'gt': 26}}) == 3, 'count with where')
    cnt = db.user.count(select={'_all': True, 'name': True})
    check(cnt == {'_all': 3, 'name': 2}, f'count with select: {cnt}')
    check(db.post.count(take=2) == 2, 'count with take')
    groups = db.post.group_by(['authorId'], count=True, sum={'views': True}, max={'views': True}, order={'authorId': 'asc'})
    by_author = {g['authorId']: g for g in groups}
    check(by_author[alice.id]['_count']['_all'] == 2 and by_author[alice.id]['_sum']['views'] == 11 and
          by_author[alice.id]['_max']['views'] == 10, f'group_by: {groups}')
    having = db.post.group_by(['authorId'], count=True, having={'views': {'_sum': {'gt': 10}}}, order={'authorId': 'asc'})
    check(alice.id in [g['authorId'] for g in having], f'group_by having: {having}')
    avg = db.user.group_by(['active'], avg={'age': True}, min={'age': True})
    check(len(avg) == 1 and abs(avg[0]['_avg']['age'] - (30 + 30 + 41) / 3) < 1e-9 and avg[0]['_min']['age'] == 30,
          f'group_by avg/min: {avg}')
    step('count/group_by')

    # --- batch_ ----------------------------------------------------------------------------------------
    with db.batch_() as batcher:
        batcher.user.create({'email': 'b1@example.com'})
        batcher.user.create({'email': 'b2@example.com'})
        batcher.post.create({'title': 'from batch', 'author': {'connect': {'email': 'b1@example.com'}}})
    check(db.user.count(where={'email': {'in': ['b1@example.com', 'b2@example.com']}}) == 2, 'batch commits')
    check(db.post.find_first(where={'title': 'from batch'}) is not None, 'batch, later query sees an earlier one')
    def failing_batch():
        with db.batch_() as batcher:
            batcher.user.create({'email': 'b3@example.com'})
            batcher.user.create({'email': 'b1@example.com'})
    expect_error(errors.UniqueViolationError, failing_batch, 'a failing batch')
    check(db.user.find_unique(where={'email': 'b3@example.com'}) is None, 'a failing batch rolls back all of it')
    step('batch_')

    # --- tx(): commit, rollback, timeout ----------------------------------------------------------------
    with db.tx() as tx:
        tx.user.create({'email': 'tx1@example.com'})
        check(tx.user.count(where={'email': 'tx1@example.com'}) == 1, 'a transaction sees its own write')
    check(db.user.find_unique(where={'email': 'tx1@example.com'}) is not None, 'tx commits')

    class Oops(Exception):
        pass

    try:
        with db.tx() as tx:
            tx.user.create({'email': 'tx2@example.com'})
            raise Oops()
    except Oops:
        pass
    check(db.user.find_unique(where={'email': 'tx2@example.com'}) is None, 'tx rolls back on an exception')

    def expired():
        with db.tx(timeout=timedelta(milliseconds=300)) as tx:
            tx.user.create({'email': 'tx3@example.com'})
            time.sleep(0.8)
            tx.user.create({'email': 'tx4@example.com'})
    expect_error(errors.TransactionExpiredError, expired, 'a transaction past its timeout')
    check(db.user.find_unique(where={'email': 'tx3@example.com'}) is None, 'an expired transaction is rolled back')
    # a refused start is an HTTP error, as Prisma's engine answers it (the client raises EngineRequestError)
    from prisma.engine.errors import EngineRequestError
    e = expect_error(EngineRequestError, lambda: db.tx(timeout=timedelta(hours=2)).__enter__(),
                     'a timeout above the engine\'s maximum')
    check('P2028' in str(e), f'P2028 for a refused transaction start: {e}')
    step('tx')

    # --- raw SQL ---------------------------------------------------------------------------------------
    table = '"User"'
    rows = db.query_raw(f'SELECT id, email, age FROM {table} WHERE age > $1 ORDER BY id' if pg else
                        f'SELECT id, email, age FROM {table} WHERE age > ? ORDER BY id', 26)
    check([r['email'] for r in rows] == ['alice@example.com', 'bob@example.com', 'CAROL@example.com'], f'query_raw: {rows}')
    first_user = db.query_first(f'SELECT * FROM {table} WHERE email = $1' if pg else f'SELECT * FROM {table} WHERE email = ?',
                                'bob@example.com', model=User)
    check(isinstance(first_user, User) and first_user.name == 'Bob', f'query_first into a model: {first_user!r}')
    n = db.execute_raw(f'UPDATE {table} SET age = age + 1 WHERE email = $1' if pg else
                       f'UPDATE {table} SET age = age + 1 WHERE email = ?', 'bob@example.com')
    check(n == 1, f'execute_raw count: {n}')
    check(db.user.find_unique(where={'email': 'bob@example.com'}).age == 31, 'execute_raw wrote')
    expect_error(errors.RawQueryError, lambda: db.query_raw('SELECT * FROM no_such_table'), 'raw SQL error (P2010)')
    step('raw')

    # --- the error classes --------------------------------------------------------------------------------
    e = expect_error(errors.UniqueViolationError, lambda: db.user.create({'email': 'alice@example.com'}), 'P2002')
    check('email' in str(e) or 'Unique' in str(e), f'P2002 message: {e}')
    expect_error(errors.ForeignKeyViolationError, lambda: db.post.create({'title': 'orphan', 'authorId': 999999}), 'P2003')
    expect_error(errors.RecordNotFoundError,
                 lambda: db.post.create({'title': 'x', 'author': {'connect': {'id': 999999}}}), 'P2025 on connect')
    expect_error(errors.DataError, lambda: db.user.create({'email': 'big@example.com', 'age': 2**40}),
                 'P2009: an Int beyond 32 bits')
    check(db.user.find_unique(where={'email': 'big@example.com'}) is None, 'nothing written by a refused create')
    expect_error(errors.MissingRequiredValueError, lambda: db.post.create({'authorId': alice.id}),
                 'P2012: a required field left out')
    step('errors')

    # --- metrics ------------------------------------------------------------------------------------------
    m = db.get_metrics(format='json', global_labels={'service': 'py'})
    check(any(c.key == 'prisma_client_queries_total' and c.value > 10 for c in m.counters), f'metrics json: {m.counters}')
    check(all(c.labels == {'service': 'py'} for c in m.counters), 'global labels')
    prom = db.get_metrics(format='prometheus')
    check('prisma_client_queries_total' in prom, 'metrics prometheus')
    step('metrics')

    db.disconnect()
    print(f'{len(ran)} groups of operations passed: {", ".join(ran)}')


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == '--workload':
        workload()
        return
    if len(sys.argv) < 4:
        fail('usage: test_prisma_client_py.py <prisma-cpp> <work dir> sqlite|postgresql [server url]')
    prisma_cpp, work, provider = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3]
    if provider == 'sqlite':
        url = f'file:{work / "sqlite" / "dev.db"}'
    else:
        server = sys.argv[4]
        url = server.rsplit('/', 1)[0] + '/prisma_cpp_python_client'
        run(['psql', '-q', server, '-c', 'DROP DATABASE IF EXISTS prisma_cpp_python_client WITH (FORCE)',
             '-c', 'CREATE DATABASE prisma_cpp_python_client'])
    s = setup(prisma_cpp, work, provider, url)
    r = subprocess.run([sys.executable, __file__, '--workload'], env=s['env'], cwd=s['cwd'], capture_output=True, text=True,
                       timeout=300)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr[-6000:])
    if r.returncode != 0:
        fail(f'the workload through Prisma Client Python failed on {provider}')


if __name__ == '__main__':
    main()
