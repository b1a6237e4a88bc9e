// factgraph export: 12 nodes, 11 relationships, as openCypher for factgraph and Neo4j.
// Run it into an empty graph: factgraph run FILE --db NEW.fg  (or cypher-shell -f FILE).
// Relationships find their endpoints by key. Not carried: provenance, document texts, ids.
// Neo4j reads a partial date such as date('2022-02') as the first day of that month.
CREATE (:Person {aliases: ['node', 'graph', 'edge', 'Strict'], description: 'line one\nline two\r\nline\tthree', key: 'o_neil', name: 'Dr. "Quote" O\'Neil \\ back\\'});
CREATE (:Person {key: 'envoy', name: 'Zelenskyy’s envoy — Київ'});
CREATE (:Country {demonyms: [], key: '2a', name: 'subgraph'});
CREATE (:Role {key: 'envoy_role', name: 'Special envoy of the President of the United States', title: 'Envoy'});
CREATE (:Organization {key: 'at&t', kind: 'digraph', name: 'AT&T <Labs> & "Co"'});
CREATE (:Proposal {key: 'plan', name: '28-point plan', points: 28, status: 'draft, "final"'});
CREATE (:Position {key: 'pos', stance: 'supports', summary: 'backs it; with caveats, some', tentative: true});
CREATE (:Event {date: date('2022-02'), key: 'war', kind: 'war', name: 'War'});
CREATE (:Event {date: date('2025-11-20'), key: 'talks', name: 'Talks'});
CREATE (:Event {date: date('2022'), key: 'year', name: 'Year event'});
CREATE (:Quantity {unit: 'km', value: 1.5});
CREATE (:Quantity {value: 1e20});
MATCH (a:Person {key: 'o_neil'}), (b:Role {key: 'envoy_role'}) CREATE (a)-[:HOLDS {date: date('2025-11-20')}]->(b);
MATCH (a:Person {key: 'envoy'}), (b:Person {key: 'o_neil'}) CREATE (a)-[:WILL_MEET {condition: 'if "both" agree \\', date: date('2025-11'), location: 'Abu Dhabi', status: 'planned'}]->(b);
MATCH (a:Person {key: 'envoy'}), (b:Person {key: 'o_neil'}) CREATE (a)-[:MEETS {description: 'first'}]->(b);
MATCH (a:Person {key: 'envoy'}), (b:Person {key: 'o_neil'}) CREATE (a)-[:MEETS {description: 'second'}]->(b);
MATCH (a:Organization {key: 'at&t'}), (b:Proposal {key: 'plan'}) CREATE (a)-[:DRAFTED]->(b);
MATCH (a:Person {key: 'o_neil'}), (b:Position {key: 'pos'}) CREATE (a)-[:TAKES]->(b);
MATCH (a:Position {key: 'pos'}), (b:Proposal {key: 'plan'}) CREATE (a)-[:ON]->(b);
MATCH (a:Proposal {key: 'plan'}), (b:Event {key: 'war'}) CREATE (a)-[:AIMS_TO_END]->(b);
MATCH (a:Event {key: 'talks'}), (b:Event {key: 'year'}) CREATE (a)-[:CAUSED]->(b);
MATCH (a:Quantity {unit: 'km', value: 1.5}), (b:Organization {key: 'at&t'}) CREATE (a)-[:REPORTED_BY]->(b);
MATCH (a:Quantity {value: 1e20}), (b:Person {key: 'envoy'}) CREATE (a)-[:REPORTED_BY]->(b);
