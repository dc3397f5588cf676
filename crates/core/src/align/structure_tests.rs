//! Tests of the block-level options: affine gaps and unit classes.

use super::*;

#[test]
fn affine_gaps_price_a_long_unpaired_run_below_its_units() {
    let text = [
        "Eerste zin.",
        "Tweede zin.",
        "Derde zin.",
        "Vierde zin.",
        "Vijfde zin.",
    ];
    let plain = AlignOptions::default();
    let gaps = AlignOptions {
        gap_extension: Some(2.0),
        ..AlignOptions::default()
    };
    let skip = plain.skip_cost;
    let without = TextPair::new(&text, &text, &plain);
    assert_eq!(without.cost(0, 0, 0, 4), 4.0 * skip);
    let with = TextPair::new(&text, &text, &gaps);
    assert_eq!(with.cost(0, 0, 0, 4), skip + 3.0 * 2.0);
    assert_eq!(with.cost(0, 1, 0, 0), skip);
    // The search may take the long runs in one step only when gaps are affine.
    assert!(without.shapes.iter().all(|&(a, b)| a <= 3 && b <= 3));
    assert!(with.shapes.contains(&(0, 24)) && with.shapes.contains(&(24, 0)));
    assert!(with.shapes.len() <= usize::from(u8::MAX));
}

#[test]
fn one_unit_gaps_split_long_unpaired_steps() {
    let step = Step {
        i0: 2,
        i1: 2,
        j0: 5,
        j1: 9,
        cost: 8.0,
    };
    let parts = one_unit_gaps(step);
    assert_eq!(parts.len(), 4);
    assert!(parts
        .iter()
        .all(|s| s.i0 == 2 && s.i1 == 2 && s.j1 == s.j0 + 1));
    assert_eq!(parts[0].j0, 5);
    assert!((parts.iter().map(|s| s.cost).sum::<f64>() - 8.0).abs() < 1e-9);
    let pair = Step {
        i0: 0,
        i1: 1,
        j0: 0,
        j1: 2,
        cost: 1.0,
    };
    assert_eq!(one_unit_gaps(pair), vec![pair]);
}

#[test]
fn classes_pair_headings_with_headings() {
    // Two lists each sorted in its own language, of different lengths, with a heading
    // between them (a bilingual table of contents): by length and shared words alone the
    // heading slides onto a list entry.
    let src = [
        ("COMMISSIONS", 0),
        ("Canada Revenue Agency", 1),
        ("Canadian International Trade Tribunal", 1),
        ("Competition Tribunal", 1),
        ("National Energy Board", 1),
        ("Public Service Commission", 1),
        ("GOVERNMENT HOUSE", 0),
        ("GOVERNMENT NOTICES", 0),
        ("Bank of Canada", 1),
        ("Citizenship and Immigration", 1),
    ];
    let tgt = [
        ("COMMISSIONS", 0),
        ("Agence du revenu du Canada", 1),
        ("Commission de la fonction publique", 1),
        ("Conseil d’examen du prix des médicaments brevetés", 1),
        ("Office national de l’énergie", 1),
        ("Tribunal canadien du commerce extérieur", 1),
        ("Tribunal de la concurrence", 1),
        ("RÉSIDENCE DU GOUVERNEUR GÉNÉRAL", 0),
        ("AVIS DU GOUVERNEMENT", 0),
        ("Banque du Canada", 1),
        ("Citoyenneté et Immigration", 1),
    ];
    let texts = |units: &[(&'static str, u8)]| units.iter().map(|u| u.0).collect::<Vec<_>>();
    let classes = |units: &[(&str, u8)]| units.iter().map(|u| u.1).collect::<Vec<_>>();
    let (a, b) = (texts(&src), texts(&tgt));
    let (ka, kb) = (classes(&src), classes(&tgt));
    let house = |beads: &[Bead]| {
        beads
            .iter()
            .find(|b| b.src.contains(&6))
            .unwrap()
            .tgt
            .clone()
    };
    let beads = align_classified(&a, &b, Some((&ka, &kb)), &AlignOptions::default());
    assert_eq!(house(&beads), 7..8, "{beads:?}");
    // Without the classes, length and shared words alone place it elsewhere.
    let beads = align_texts(&a, &b, &AlignOptions::default());
    assert_ne!(house(&beads), 7..8, "{beads:?}");
}
