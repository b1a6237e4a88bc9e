//! Runs one query against the bundled seed graph and prints rows (a development aid).
fn main() {
    let q = std::env::args().nth(1).unwrap_or_default();
    let mut g = match factgraph::seed::graph() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    match factgraph::query::run(&mut g, &q, &Default::default()) {
        Ok(r) => {
            println!("{}", r.columns.join(" | "));
            for row in &r.rows {
                println!(
                    "{}",
                    row.iter()
                        .map(|v| v.render(&g))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
            }
            if let Some(p) = r.plan {
                println!("{p}");
            }
            println!(
                "({} rows; scanned {}, index {}, counters {:?})",
                r.rows.len(),
                r.nodes_scanned,
                r.index_lookups,
                r.counters
            );
        }
        Err(e) => println!("ERROR [{}] {e}", e.code()),
    }
}
