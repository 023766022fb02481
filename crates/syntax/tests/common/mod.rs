//! Helpers shared by the syntax integration tests.
#![allow(dead_code)]

use bulwark_syntax::ast::*;
use bulwark_syntax::{parse, Parsed};

/// Parses `src` and fails the test (listing the diagnostics) if there are any.
pub fn parse_clean(src: &str) -> Parsed {
    let parsed = parse(src);
    assert!(
        parsed.diagnostics.is_empty(),
        "unexpected diagnostics: {:#?}\nsource:\n{src}",
        parsed.diagnostics
    );
    parsed
}

pub fn only_contract(parsed: &Parsed) -> &ContractDefinition {
    let contracts: Vec<_> = parsed.unit.contracts().collect();
    assert_eq!(contracts.len(), 1, "expected exactly one contract");
    contracts[0]
}

pub fn function<'a>(contract: &'a ContractDefinition, name: &str) -> &'a FunctionDefinition {
    contract
        .functions()
        .find(|f| f.name.as_ref().is_some_and(|n| n.name == name))
        .unwrap_or_else(|| panic!("no function {name}"))
}

/// Parses `body` as the body of a function and returns its statements.
pub fn stmts(body: &str) -> Vec<Stmt> {
    let src = format!("contract C {{ function f() public {{ {body} }} }}");
    let parsed = parse_clean(&src);
    let contract = only_contract(&parsed);
    function(contract, "f").body.clone().expect("body").stmts
}

pub fn one_stmt(body: &str) -> StmtKind {
    let mut all = stmts(body);
    assert_eq!(all.len(), 1, "expected one statement in {body:?}");
    all.remove(0).kind
}

/// Parses `e;` and returns the expression.
pub fn expr(e: &str) -> Expr {
    match one_stmt(&format!("{e};")) {
        StmtKind::Expr(expr) => expr,
        other => panic!("not an expression statement: {other:?}"),
    }
}

/// Renders an expression with explicit parentheses, to check precedence.
pub fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(Literal::Number { value, unit }) => match unit {
            Some(u) => format!("{value}{u:?}"),
            None => value.clone(),
        },
        ExprKind::Literal(Literal::Bool(b)) => b.to_string(),
        ExprKind::Literal(Literal::String { value, .. }) => {
            format!("{:?}", String::from_utf8_lossy(value))
        }
        ExprKind::Ident(i) => i.name.clone(),
        ExprKind::Member { base, member } => format!("{}.{}", show(base), member.name),
        ExprKind::Index { base, index } => format!(
            "{}[{}]",
            show(base),
            index.as_ref().map(|i| show(i)).unwrap_or_default()
        ),
        ExprKind::Slice { base, start, end } => format!(
            "{}[{}:{}]",
            show(base),
            start.as_ref().map(|i| show(i)).unwrap_or_default(),
            end.as_ref().map(|i| show(i)).unwrap_or_default()
        ),
        ExprKind::Call { callee, args } => format!("{}({})", show(callee), show_args(args)),
        ExprKind::CallOptions { callee, options } => format!(
            "{}{{{}}}",
            show(callee),
            options
                .iter()
                .map(|o| format!("{}: {}", o.name.name, show(&o.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ExprKind::New(_) => "new T".into(),
        ExprKind::TypeOf(_) => "type(T)".into(),
        ExprKind::ElementaryType(t) => format!("{t:?}"),
        ExprKind::Unary { op, operand } => format!("({op:?} {})", show(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", show(lhs), op.as_str(), show(rhs))
        }
        ExprKind::Assign { op, lhs, rhs } => format!(
            "({} {}= {})",
            show(lhs),
            op.map(|o| o.as_str()).unwrap_or(""),
            show(rhs)
        ),
        ExprKind::Conditional {
            cond,
            then_expr,
            else_expr,
        } => format!(
            "({} ? {} : {})",
            show(cond),
            show(then_expr),
            show(else_expr)
        ),
        ExprKind::Tuple(items) => format!(
            "<{}>",
            items
                .iter()
                .map(|i| i.as_ref().map(show).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ExprKind::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Error => "<error>".into(),
    }
}

fn show_args(args: &CallArgs) -> String {
    match &args.kind {
        CallArgsKind::Positional(a) => a.iter().map(show).collect::<Vec<_>>().join(", "),
        CallArgsKind::Named(a) => format!(
            "{{{}}}",
            a.iter()
                .map(|n| format!("{}: {}", n.name.name, show(&n.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
