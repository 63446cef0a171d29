-- Tables of the same columns as the three the collector writes, on the Null engine:
-- an insert into one is parsed with the columns' types and then discarded (no parts,
-- no views). The writer uses them to tell a row ClickHouse cannot take (its own fault,
-- set aside) from a table or server that takes nothing (the rows wait). A migration that
-- changes the columns of events, visit_ips or form_domains changes these the same way;
-- a test compares them.
CREATE TABLE IF NOT EXISTS events_parse_check AS events ENGINE = Null;
CREATE TABLE IF NOT EXISTS visit_ips_parse_check AS visit_ips ENGINE = Null;
CREATE TABLE IF NOT EXISTS form_domains_parse_check AS form_domains ENGINE = Null;
