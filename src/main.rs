fn main() {
    match steppe::network::load_embedded() {
        Ok(n) => {
            println!("{} places, {} links", n.place_count(), n.link_count());
            for w in &n.warnings {
                println!("{w}");
            }
        }
        Err(e) => println!("{e}"),
    }
}
