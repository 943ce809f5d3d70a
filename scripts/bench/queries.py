"""The hand-written SQL of each benchmark scenario: the best form of the page the API serves.

Claim pages pick their 51 ids first (50 and one to tell whether a next page
exists) from an index that is already in the page's order: for an expert
filter, one LATERAL index scan per matching expert on (expert, sort_date DESC,
id DESC); then they join only those rows, with no article body and no COUNT.
"""

from __future__ import annotations

# The columns a claim in a list carries, joined for the page's ids only.
CLAIM_PAGE = """
SELECT c.id, c.text, c.quote_type, c.kind, c.status, c.cue, c.speaker_mention, c.start, c."end",
       c.confidence, c.reviewed_at, c.created_at, c.updated_at, c.version,
       e.id, e.name, e.slug,
       af.id, af.role, af.is_former, o.id, o.name, o.acronym,
       a.id, a.title, a.published_on, a.url, ou.name,
       ARRAY(SELECT t.slug FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
             WHERE ct.claim_id = c.id ORDER BY t.name, t.id) AS topics
FROM page
JOIN claims_claim c ON c.id = page.id
LEFT JOIN claims_expert e ON e.id = c.expert_id
LEFT JOIN claims_affiliation af ON af.id = c.affiliation_id
LEFT JOIN claims_organization o ON o.id = af.organization_id
JOIN claims_article a ON a.id = c.article_id
LEFT JOIN claims_outlet ou ON ou.id = a.outlet_id
ORDER BY {order}
"""

# %(pattern)s is a LIKE pattern on normalized aliases ('%lankov%').
EXPERT_CLAIMS = """
WITH page AS (
  SELECT p.id, p.sort_date
  FROM (SELECT DISTINCT expert_id FROM claims_alias WHERE match_key LIKE %(pattern)s) AS x
  CROSS JOIN LATERAL (
    SELECT c.id, c.sort_date FROM claims_claim c
    WHERE c.expert_id = x.expert_id AND c.status = 'approved' {after}
    ORDER BY c.sort_date DESC, c.id DESC LIMIT 51
  ) AS p
  ORDER BY p.sort_date DESC, p.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.sort_date DESC, page.id DESC")

EXPERT_CLAIMS_FIRST = EXPERT_CLAIMS.format(after="")
# Keyset: rows strictly after (sort_date, id) = (%(date)s, %(id)s) in descending order.
EXPERT_CLAIMS_AFTER = EXPERT_CLAIMS.format(after="AND (c.sort_date, c.id) < (%(date)s, %(id)s)")

ALL_CLAIMS = """
WITH page AS (
  SELECT c.id, c.sort_date FROM claims_claim c WHERE c.status = 'approved'
  ORDER BY c.sort_date DESC, c.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.sort_date DESC, page.id DESC")

SEARCH_CLAIMS = """
WITH page AS (
  SELECT c.id, ts_rank(c.text_search, q.query) AS rank
  FROM claims_claim c, websearch_to_tsquery('english'::regconfig, %(q)s) AS q(query)
  WHERE c.text_search @@ q.query AND c.status = 'approved'
  ORDER BY rank DESC, c.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.rank DESC, page.id DESC")

EXPERTS_BY_NAME = """
WITH page AS (
  SELECT e.id, e.sort_name FROM claims_expert e
  WHERE e.id IN (SELECT expert_id FROM claims_alias WHERE match_key LIKE %(pattern)s)
  ORDER BY e.sort_name, e.id LIMIT 51
)
SELECT e.id, e.name, e.sort_name, e.slug, e.wikidata_id, e.bio, e.version,
       ARRAY(SELECT al.name FROM claims_alias al WHERE al.expert_id = e.id ORDER BY al.name, al.id) AS aliases,
       ARRAY(SELECT ROW(af.id, af.role, af.is_former, af.start_date, af.end_date, o.id, o.name, o.acronym)::text
             FROM claims_affiliation af LEFT JOIN claims_organization o ON o.id = af.organization_id
             WHERE af.expert_id = e.id ORDER BY af.id DESC) AS affiliations,
       (SELECT count(*) FROM claims_claim c WHERE c.expert_id = e.id AND c.status = 'approved') AS claim_count
FROM page JOIN claims_expert e ON e.id = page.id
ORDER BY page.sort_name, page.id
"""

# The rows /api/experts/{id}/track-record reads (its scores are computed in
# Python from them): the expert's visible predictions with their claims' topics.
TRACK_RECORD = """
SELECT p.id, p.outcome, p.probability, c.id,
       ARRAY(SELECT ROW(t.slug, t.name)::text FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
             WHERE ct.claim_id = c.id ORDER BY t.name, t.id) AS topics
FROM claims_prediction p JOIN claims_claim c ON c.id = p.claim_id
WHERE c.expert_id = %(expert)s AND c.status = 'approved'
ORDER BY p.id
"""
