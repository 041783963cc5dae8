-- Sign-in: password hashes (scrypt, parameters and salt stored with each hash), server-side sessions
-- and API tokens (only a SHA-256 of the secret is stored), single-use emailed links (password reset,
-- invitation; stored hashed), and login attempts for throttling.

alter table people add column if not exists password_hash text;
alter table people add column if not exists disabled_at timestamptz;
create unique index if not exists people_by_email on people (org_id, lower(email));

-- A signed-in browser: id is the SHA-256 (hex) of the cookie's random token.
create table sessions (
  org_id text not null,
  id text primary key,
  person_id text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  -- The absolute end; the idle end is last_seen_at plus the idle timeout.
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip text not null default '',
  user_agent text not null default '',
  foreign key (org_id, person_id) references people (org_id, id)
);
create index sessions_by_person on sessions (org_id, person_id);

-- An integration's token: shown once, acts as its person within its scopes (read, write, webhooks).
create table api_tokens (
  org_id text not null,
  id text not null,
  person_id text not null,
  name text not null,
  token_hash text not null unique,
  scopes jsonb not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (org_id, id),
  foreign key (org_id, person_id) references people (org_id, id)
);

-- Emailed links: a password reset (of a person) or an invitation (creates a person when accepted).
create table auth_links (
  org_id text not null,
  token_hash text primary key,
  kind text not null check (kind in ('reset', 'invite')),
  email text not null,
  person_id text,
  role text check (role in ('owner', 'admin', 'finance', 'manager', 'rep')),
  rep_id text,
  name text not null default '',
  created_by text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index auth_links_by_email on auth_links (org_id, lower(email));

-- Login attempts, kept for throttling by email and by address. The organization is not known
-- before a successful sign-in, so org_id is that of the email when it names exactly one person.
create table login_attempts (
  org_id text,
  at timestamptz not null,
  email text not null,
  ip text not null,
  ok boolean not null
);
create index login_attempts_by_email on login_attempts (lower(email), at);
create index login_attempts_by_ip on login_attempts (ip, at);

-- Look-ups made before the organization is known (a cookie, a token, a link, an email at sign-in):
-- security definer functions, so that they work under row-level security; each returns only the
-- rows of the secret or email it is given.
create function auth_people_by_email(p_email text)
returns table (org_id text, id text, role text, rep_id text, password_hash text, disabled boolean)
language sql stable security definer set search_path from current as $$
  select p.org_id, p.id, p.role, p.rep_id, p.password_hash, p.disabled_at is not null
    from people p where lower(p.email) = lower(p_email) order by p.org_id
$$;

create function auth_session(p_id text)
returns table (
  org_id text, person_id text, role text, rep_id text, created_at timestamptz,
  last_seen_at timestamptz, expires_at timestamptz, revoked_at timestamptz, disabled boolean
)
language sql stable security definer set search_path from current as $$
  select s.org_id, s.person_id, p.role, p.rep_id, s.created_at, s.last_seen_at, s.expires_at,
         s.revoked_at, p.disabled_at is not null
    from sessions s join people p on p.org_id = s.org_id and p.id = s.person_id
   where s.id = p_id
$$;

create function auth_api_token(p_hash text)
returns table (
  org_id text, id text, person_id text, role text, rep_id text, scopes jsonb, revoked_at timestamptz,
  disabled boolean
)
language sql stable security definer set search_path from current as $$
  select t.org_id, t.id, t.person_id, p.role, p.rep_id, t.scopes, t.revoked_at, p.disabled_at is not null
    from api_tokens t join people p on p.org_id = t.org_id and p.id = t.person_id
   where t.token_hash = p_hash
$$;

create function auth_link_org(p_hash text)
returns text
language sql stable security definer set search_path from current as $$
  select org_id from auth_links where token_hash = p_hash
$$;

-- First run: how many organizations and people there are (setup is refused once anyone exists).
create function auth_setup_state()
returns table (organizations bigint, people bigint, only_org text)
language sql stable security definer set search_path from current as $$
  select (select count(*) from organizations), (select count(*) from people),
         (select min(id) from organizations)
$$;
