// factgraph export: 12 nodes, 11 relationships, for Kuzu (tables first, then data).
// Run it into an empty database: kuzu DB < FILE, or conn.execute(script) in Python.
// Dates of year or month precision are STRING columns; not carried: provenance, document texts.
CREATE NODE TABLE `Country`(`demonyms` STRING[], `key` STRING PRIMARY KEY, `name` STRING);
CREATE NODE TABLE `Event`(`date` STRING, `key` STRING PRIMARY KEY, `kind` STRING, `name` STRING);
CREATE NODE TABLE `Organization`(`key` STRING PRIMARY KEY, `kind` STRING, `name` STRING);
CREATE NODE TABLE `Person`(`aliases` STRING[], `description` STRING, `key` STRING PRIMARY KEY, `name` STRING);
CREATE NODE TABLE `Position`(`key` STRING PRIMARY KEY, `stance` STRING, `summary` STRING, `tentative` BOOLEAN);
CREATE NODE TABLE `Proposal`(`key` STRING PRIMARY KEY, `name` STRING, `points` INT64, `status` STRING);
CREATE NODE TABLE `Quantity`(`fg_id` STRING PRIMARY KEY, `unit` STRING, `value` DOUBLE);
CREATE NODE TABLE `Role`(`key` STRING PRIMARY KEY, `name` STRING, `title` STRING);
CREATE REL TABLE `AIMS_TO_END`(FROM `Proposal` TO `Event`);
CREATE REL TABLE `CAUSED`(FROM `Event` TO `Event`);
CREATE REL TABLE `DRAFTED`(FROM `Organization` TO `Proposal`);
CREATE REL TABLE `HOLDS`(FROM `Person` TO `Role`, `date` DATE);
CREATE REL TABLE `MEETS`(FROM `Person` TO `Person`, `description` STRING);
CREATE REL TABLE `ON`(FROM `Position` TO `Proposal`);
CREATE REL TABLE `REPORTED_BY`(FROM `Quantity` TO `Organization`, FROM `Quantity` TO `Person`);
CREATE REL TABLE `TAKES`(FROM `Person` TO `Position`);
CREATE REL TABLE `WILL_MEET`(FROM `Person` TO `Person`, `condition` STRING, `date` STRING, `location` STRING, `status` STRING);
CREATE (:`Person` {`aliases`: ['node', 'graph', 'edge', 'Strict'], `description`: 'line one
line two
line	three', `key`: 'o_neil', `name`: 'Dr. "Quote" O\'Neil \\ back\\'});
CREATE (:`Person` {`key`: 'envoy', `name`: 'Zelenskyy’s envoy — Київ'});
CREATE (:`Country` {`demonyms`: CAST([] AS STRING[]), `key`: '2a', `name`: 'subgraph'});
CREATE (:`Role` {`key`: 'envoy_role', `name`: 'Special envoy of the President of the United States', `title`: 'Envoy'});
CREATE (:`Organization` {`key`: 'at&t', `kind`: 'digraph', `name`: 'AT&T <Labs> & "Co"'});
CREATE (:`Proposal` {`key`: 'plan', `name`: '28-point plan', `points`: 28, `status`: 'draft, "final"'});
CREATE (:`Position` {`key`: 'pos', `stance`: 'supports', `summary`: 'backs it; with caveats, some', `tentative`: true});
CREATE (:`Event` {`date`: '2022-02', `key`: 'war', `kind`: 'war', `name`: 'War'});
CREATE (:`Event` {`date`: '2025-11-20', `key`: 'talks', `name`: 'Talks'});
CREATE (:`Event` {`date`: '2022', `key`: 'year', `name`: 'Year event'});
CREATE (:`Quantity` {`fg_id`: 'n10', `unit`: 'km', `value`: 1.5});
CREATE (:`Quantity` {`fg_id`: 'n11', `value`: 1e20});
MATCH (a:`Person` {`key`: 'o_neil'}), (b:`Role` {`key`: 'envoy_role'}) CREATE (a)-[:`HOLDS` {`date`: date('2025-11-20')}]->(b);
MATCH (a:`Person` {`key`: 'envoy'}), (b:`Person` {`key`: 'o_neil'}) CREATE (a)-[:`WILL_MEET` {`condition`: 'if "both" agree \\', `date`: '2025-11', `location`: 'Abu Dhabi', `status`: 'planned'}]->(b);
MATCH (a:`Person` {`key`: 'envoy'}), (b:`Person` {`key`: 'o_neil'}) CREATE (a)-[:`MEETS` {`description`: 'first'}]->(b);
MATCH (a:`Person` {`key`: 'envoy'}), (b:`Person` {`key`: 'o_neil'}) CREATE (a)-[:`MEETS` {`description`: 'second'}]->(b);
MATCH (a:`Organization` {`key`: 'at&t'}), (b:`Proposal` {`key`: 'plan'}) CREATE (a)-[:`DRAFTED`]->(b);
MATCH (a:`Person` {`key`: 'o_neil'}), (b:`Position` {`key`: 'pos'}) CREATE (a)-[:`TAKES`]->(b);
MATCH (a:`Position` {`key`: 'pos'}), (b:`Proposal` {`key`: 'plan'}) CREATE (a)-[:`ON`]->(b);
MATCH (a:`Proposal` {`key`: 'plan'}), (b:`Event` {`key`: 'war'}) CREATE (a)-[:`AIMS_TO_END`]->(b);
MATCH (a:`Event` {`key`: 'talks'}), (b:`Event` {`key`: 'year'}) CREATE (a)-[:`CAUSED`]->(b);
MATCH (a:`Quantity` {`fg_id`: 'n10'}), (b:`Organization` {`key`: 'at&t'}) CREATE (a)-[:`REPORTED_BY`]->(b);
MATCH (a:`Quantity` {`fg_id`: 'n11'}), (b:`Person` {`key`: 'envoy'}) CREATE (a)-[:`REPORTED_BY`]->(b);
