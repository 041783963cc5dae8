-- Live progress finds the deals and activities an import or a webhook just stored by when they were
-- stored: without these, each lookup scans every deal of the organization.
create index deals_by_updated_at on deals (org_id, updated_at);
create index activities_by_updated_at on activities (org_id, updated_at);
