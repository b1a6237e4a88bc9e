// factgraph export: 14 nodes, 14 relationships, as openCypher for factgraph and Neo4j.
// Run it into an empty graph: factgraph run FILE --db NEW.fg  (or cypher-shell -f FILE).
// Relationships find their endpoints by key. Not carried: provenance, document texts, ids.
// Neo4j reads a partial date such as date('2022-02') as the first day of that month.
CREATE (:Country {demonyms: ['Russian'], key: 'russia', name: 'Russia'});
CREATE (:City {key: 'moscow', name: 'Moscow'});
CREATE (:Person {aliases: ['Trump'], key: 'trump', name: 'Donald Trump'});
CREATE (:Role {key: 'us_president', name: 'President of the United States', title: 'President'});
CREATE (:Person {aliases: ['Putin'], key: 'putin', name: 'Vladimir Putin'});
CREATE (:Role {aliases: ['Russian President'], key: 'russia_president', name: 'President of Russia', title: 'President'});
CREATE (:Person {aliases: ['Zelenskyy'], key: 'zelenskyy', name: 'Volodymyr Zelenskyy'});
CREATE (:Person {key: 'witkoff', name: 'Steve Witkoff'});
CREATE (:Role {aliases: ['special envoy'], key: 'special_envoy', name: 'Special envoy of Donald Trump', title: 'special envoy'});
CREATE (:Organization {key: 'truth_social', kind: 'social media platform', name: 'Truth Social'});
CREATE (:Event {aliases: ['the negotiation process', 'the evolving discussions'], key: 'negotiations', kind: 'negotiations', name: 'Negotiations on the peace plan', status: 'ongoing'});
CREATE (:Event {key: 'direct_negotiations', kind: 'negotiations', name: 'Direct negotiations between Zelenskyy and Trump', status: 'planned'});
CREATE (:Position {key: 'pos_trump_few_points', polarity: 'support', stance: 'says few points of disagreement remain', summary: 'the plan has been fine-tuned and only a few points of disagreement remain'});
CREATE (:Position {key: 'pos_trump_approach', polarity: 'support', stance: 'favors direct engagement with both leaders', summary: 'direct engagement with both leaders once the deal nears completion, ensuring final terms are acceptable to all parties'});
MATCH (a:City {key: 'moscow'}), (b:Country {key: 'russia'}) CREATE (a)-[:CAPITAL_OF]->(b);
MATCH (a:Person {key: 'trump'}), (b:Role {key: 'us_president'}) CREATE (a)-[:HOLDS]->(b);
MATCH (a:Person {key: 'putin'}), (b:Role {key: 'russia_president'}) CREATE (a)-[:HOLDS]->(b);
MATCH (a:Person {key: 'witkoff'}), (b:Role {key: 'special_envoy'}) CREATE (a)-[:HOLDS]->(b);
MATCH (a:Person {key: 'witkoff'}), (b:Person {key: 'trump'}) CREATE (a)-[:SERVES]->(b);
MATCH (a:Person {key: 'trump'}), (b:Organization {key: 'truth_social'}) CREATE (a)-[:OWNS]->(b);
MATCH (a:Person {key: 'trump'}), (b:Event {key: 'negotiations'}) CREATE (a)-[:BRIEFED_ON {description: 'in real time', status: 'planned'}]->(b);
MATCH (a:Person {key: 'trump'}), (b:Event {key: 'direct_negotiations'}) CREATE (a)-[:PARTICIPATES_IN {role: 'party'}]->(b);
MATCH (a:Person {key: 'witkoff'}), (b:City {key: 'moscow'}) CREATE (a)-[:TRAVELS_TO {purpose: 'to meet directly with Putin', status: 'planned'}]->(b);
MATCH (a:Person {key: 'witkoff'}), (b:Person {key: 'putin'}) CREATE (a)-[:WILL_MEET {location: 'Moscow', status: 'planned'}]->(b);
MATCH (a:Person {key: 'trump'}), (b:Person {key: 'zelenskyy'}) CREATE (a)-[:WILL_MEET {condition: 'only when the deal to end the war is final or in its final stages', status: 'conditional'}]->(b);
MATCH (a:Person {key: 'trump'}), (b:Person {key: 'putin'}) CREATE (a)-[:WILL_MEET {condition: 'only when the deal to end the war is final or in its final stages', status: 'conditional'}]->(b);
MATCH (a:Person {key: 'trump'}), (b:Position {key: 'pos_trump_few_points'}) CREATE (a)-[:TAKES]->(b);
MATCH (a:Person {key: 'trump'}), (b:Position {key: 'pos_trump_approach'}) CREATE (a)-[:TAKES]->(b);
