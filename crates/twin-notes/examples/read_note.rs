//! Prints the facts in a note read from standard input, one per line with its context, span
//! and sentence: `cargo run -p twin-notes --example read_note < letter.txt`.

use std::io::Read;

fn main() {
    let mut note = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut note) {
        eprintln!("could not read the note from standard input: {e}");
        std::process::exit(2);
    }
    for found in twin_notes::extract(&note) {
        println!(
            "{:<45} {:>5.2}  bytes {:>5}..{:<5}  {:?}",
            twin_notes::describe(&found.fact, &found.context),
            found.confidence,
            found.span.start,
            found.span.end,
            &note[found.sentence.clone()]
        );
    }
}
