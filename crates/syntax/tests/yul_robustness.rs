//! Property tests: the Yul parser never panics or hangs, and whatever it
//! returns is well-formed (end offset and every span inside the input, on
//! character boundaries), on truncated and mutated real-looking assembly
//! and on random token soup. Bounded to a few seconds.

use bulwark_syntax::yul::{parse_block, YulNode, YulParse};
use bulwark_syntax::Span;
use proptest::prelude::*;

/// Solidity text around the assembly body, so offsets are not zero-based.
const PREFIX: &str = "contract C {\n  function f(bytes calldata data) public {\n    assembly ";
const SUFFIX: &str = "\n  }\n}\n";

/// Assembly bodies covering every construct, modern and old-style.
const SEEDS: &[&str] = &[
    r#"{
        let ptr := mload(0x40)
        calldatacopy(ptr, data.offset, data.length)
        let ok := delegatecall(gas(), sload(impl.slot), ptr, data.length, 0, 0)
        returndatacopy(ptr, 0, returndatasize())
        switch ok
        case 0 { revert(ptr, returndatasize()) }
        default { return(ptr, returndatasize()) }
    }"#,
    r#"{
        function mulDiv(x, y, d) -> z {
            z := mul(x, y)
            if iszero(or(iszero(x), eq(div(z, x), y))) { revert(0, 0) }
            z := div(z, d)
            leave
        }
        for { let i := 0 } lt(i, n) { i := add(i, 1) } {
            if eq(i, 3) { continue }
            if gt(i, 7) { break }
            sstore(add(s_slot, i), mulDiv(i, 2, 1))
        }
        log2(0, 0, 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef, caller())
    }"#,
    r#"{
        let x:u256 := 1:u256
        let a, b := f(hex"00ff_1a", "str\"ing", 'c', true, false)
        switch shr(224, calldataload(0))
        case 0xa9059cbb { t() }
        case "abc" {}
        default {}
        { let nested := 1 /* block comment { */ } // line comment }
    }"#,
    r#"{
        let n := 0
    loop:
        jumpi(end, eq(n, 10))
        n := add(n, 1)
        jump(loop)
    end:
        0x40 mload =: ptr
        _gas := gas
        dup1 swap1 pop
    }"#,
];

fn wrap(body: &str) -> String {
    format!("{PREFIX}{body}{SUFFIX}")
}

/// Checks the invariants every parse result must satisfy.
fn check_well_formed(source: &str, open: usize, parsed: &YulParse) {
    let in_source = |span: Span| {
        span.start <= span.end
            && (span.end as usize) <= source.len()
            && source.is_char_boundary(span.start as usize)
            && source.is_char_boundary(span.end as usize)
    };
    assert!(parsed.end <= source.len());
    assert!(source.is_char_boundary(parsed.end));
    if source.as_bytes().get(open) == Some(&b'{') {
        assert!(
            parsed.end > open,
            "end {} not past the brace at {open}",
            parsed.end
        );
    }
    for diagnostic in &parsed.diagnostics {
        assert!(
            in_source(diagnostic.span),
            "diagnostic span {:?} out of bounds",
            diagnostic.span
        );
        assert!(!diagnostic.message.is_empty());
    }
    // Every node lies inside the block's own range.
    let range = Span::new(open.min(source.len()), parsed.end);
    parsed.block.walk(|node| {
        let span = match node {
            YulNode::Block(b) => b.span,
            YulNode::Statement(s) => s.span(),
            YulNode::Expression(e) => e.span(),
        };
        assert!(in_source(span), "node span {span:?} malformed");
        assert!(
            span.start >= range.start && span.end <= range.end,
            "node span {span:?} outside block {range:?}"
        );
    });
    // The helper queries must cope with whatever the parser produced.
    let _ = parsed.block.external_references();
    let _ = parsed.block.function_calls();
}

/// Characters that stress the lexer and the recovery paths.
fn mutation_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '{', '}', '(', ')', ',', ':', '=', '-', '>', '"', '\'', '\\', '/', '*', '\n', ' ', '.',
            '$', 'x', '0', 'é', '#',
        ]),
        any::<char>(),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), mutation_char()).prop_map(|(at, c)| Mutation::Replace(at, c)),
        (any::<usize>(), mutation_char()).prop_map(|(at, c)| Mutation::Insert(at, c)),
        any::<usize>().prop_map(Mutation::Delete),
    ]
}

/// Applies `mutation` at a character position of `text` (taken modulo its length).
fn apply(text: &mut String, mutation: &Mutation) {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    if boundaries.is_empty() {
        return;
    }
    let pick = |at: usize| boundaries[at % boundaries.len()];
    match *mutation {
        Mutation::Replace(at, c) => {
            let i = pick(at);
            let len = text[i..].chars().next().map_or(0, char::len_utf8);
            text.replace_range(i..i + len, c.encode_utf8(&mut [0; 4]));
        }
        Mutation::Insert(at, c) => text.insert(pick(at), c),
        Mutation::Delete(at) => {
            text.remove(pick(at));
        }
    }
}

/// Yul tokens and fragments glued at random.
fn token_soup() -> impl Strategy<Value = String> {
    let pieces = vec![
        "{",
        "}",
        "(",
        ")",
        ",",
        ":=",
        "=:",
        ":",
        "->",
        "let",
        "function",
        "if",
        "switch",
        "case",
        "default",
        "for",
        "break",
        "continue",
        "leave",
        "x",
        "y.slot",
        "add",
        "mstore",
        "0x40",
        "12",
        "\"s\"",
        "hex\"00\"",
        "true",
        "//c\n",
        "/*c*/",
        "\n",
        " ",
        "#",
        "u256",
        "1e5",
        "'",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..120).prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated_seeds_parse_without_panicking(seed in 0..SEEDS.len(), cut in any::<usize>()) {
        let source = wrap(SEEDS[seed]);
        let boundaries: Vec<usize> = source.char_indices().map(|(i, _)| i).filter(|&i| i > PREFIX.len()).collect();
        let cut = boundaries[cut % boundaries.len()];
        let truncated = &source[..cut];
        let parsed = parse_block(truncated, PREFIX.len());
        check_well_formed(truncated, PREFIX.len(), &parsed);
    }

    #[test]
    fn mutated_seeds_parse_without_panicking(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        // Mutate the body only: the Solidity parser always passes the
        // offset of a real `{`, never one inside a shifted character.
        let mut body = SEEDS[seed].to_string();
        for m in &mutations {
            apply(&mut body, m);
        }
        let source = wrap(&body);
        let parsed = parse_block(&source, PREFIX.len());
        check_well_formed(&source, PREFIX.len(), &parsed);
    }

    #[test]
    fn token_soup_parses_without_panicking(body in token_soup(), closed in any::<bool>()) {
        let source = if closed { format!("{{ {body} }}") } else { format!("{{ {body}") };
        let parsed = parse_block(&source, 0);
        check_well_formed(&source, 0, &parsed);
    }
}

/// The unmutated seeds are valid: the mutation tests start from real code.
#[test]
fn seeds_parse_cleanly() {
    for seed in SEEDS {
        let source = wrap(seed);
        let parsed = parse_block(&source, PREFIX.len());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(&source[parsed.end..], SUFFIX);
        check_well_formed(&source, PREFIX.len(), &parsed);
    }
}
