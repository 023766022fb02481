//! Traversal of the Yul tree: a [`YulVisitor`] trait whose default methods
//! walk every child in source order, plus closure-based conveniences on
//! [`YulBlock`] for the common "find every X" questions detectors ask.
//!
//! Recursion depth is bounded by the parser's nesting cap, so walking a
//! parsed tree cannot overflow the stack.

use super::ast::*;

/// A borrowed node handed to [`YulBlock::walk`] callbacks.
#[derive(Clone, Copy, Debug)]
pub enum YulNode<'a> {
    Block(&'a YulBlock),
    Statement(&'a YulStatement),
    Expression(&'a YulExpression),
}

/// Visits a Yul tree. Override the methods for the nodes you care about
/// and call the matching `walk_*` function to keep descending.
pub trait YulVisitor<'a> {
    fn visit_block(&mut self, block: &'a YulBlock) {
        walk_block(self, block);
    }

    fn visit_statement(&mut self, statement: &'a YulStatement) {
        walk_statement(self, statement);
    }

    fn visit_expression(&mut self, expression: &'a YulExpression) {
        walk_expression(self, expression);
    }
}

pub fn walk_block<'a, V: YulVisitor<'a> + ?Sized>(visitor: &mut V, block: &'a YulBlock) {
    for statement in &block.statements {
        visitor.visit_statement(statement);
    }
}

/// Visits the children of `statement` in source order (for a `for` loop:
/// init, condition, post, body).
pub fn walk_statement<'a, V: YulVisitor<'a> + ?Sized>(
    visitor: &mut V,
    statement: &'a YulStatement,
) {
    match statement {
        YulStatement::Block(block) => visitor.visit_block(block),
        YulStatement::VariableDeclaration(decl) => {
            if let Some(value) = &decl.value {
                visitor.visit_expression(value);
            }
        }
        YulStatement::Assignment(assignment) => visitor.visit_expression(&assignment.value),
        YulStatement::If(if_statement) => {
            visitor.visit_expression(&if_statement.condition);
            visitor.visit_block(&if_statement.body);
        }
        YulStatement::Switch(switch) => {
            visitor.visit_expression(&switch.expression);
            for case in &switch.cases {
                visitor.visit_block(&case.body);
            }
        }
        YulStatement::For(for_loop) => {
            visitor.visit_block(&for_loop.init);
            visitor.visit_expression(&for_loop.condition);
            visitor.visit_block(&for_loop.post);
            visitor.visit_block(&for_loop.body);
        }
        YulStatement::FunctionDefinition(function) => visitor.visit_block(&function.body),
        YulStatement::Expression(expression) => visitor.visit_expression(expression),
        YulStatement::Break(_)
        | YulStatement::Continue(_)
        | YulStatement::Leave(_)
        | YulStatement::Label(_)
        | YulStatement::StackAssignment(_)
        | YulStatement::Instruction(_) => {}
    }
}

pub fn walk_expression<'a, V: YulVisitor<'a> + ?Sized>(
    visitor: &mut V,
    expression: &'a YulExpression,
) {
    if let YulExpression::Call(call) = expression {
        for argument in &call.arguments {
            visitor.visit_expression(argument);
        }
    }
}

/// Adapts a closure to [`YulVisitor`], calling it on every node pre-order.
struct ClosureVisitor<F>(F);

impl<'a, F: FnMut(YulNode<'a>)> YulVisitor<'a> for ClosureVisitor<F> {
    fn visit_block(&mut self, block: &'a YulBlock) {
        (self.0)(YulNode::Block(block));
        walk_block(self, block);
    }

    fn visit_statement(&mut self, statement: &'a YulStatement) {
        (self.0)(YulNode::Statement(statement));
        walk_statement(self, statement);
    }

    fn visit_expression(&mut self, expression: &'a YulExpression) {
        (self.0)(YulNode::Expression(expression));
        walk_expression(self, expression);
    }
}

impl YulBlock {
    /// Calls `f` on this block and every node below it, pre-order, in
    /// source order.
    pub fn walk<'a>(&'a self, f: impl FnMut(YulNode<'a>)) {
        ClosureVisitor(f).visit_block(self);
    }

    /// Every function call in the block, nested ones included, in pre-order
    /// (an outer call comes before the calls in its arguments).
    pub fn function_calls(&self) -> Vec<&YulFunctionCall> {
        let mut calls = Vec::new();
        self.walk(|node| {
            if let YulNode::Expression(YulExpression::Call(call)) = node {
                calls.push(call);
            }
        });
        calls
    }

    /// The calls of the function or builtin named `name` (e.g.
    /// `"delegatecall"`), in pre-order.
    pub fn calls_to<'a>(&'a self, name: &str) -> Vec<&'a YulFunctionCall> {
        let mut calls = Vec::new();
        self.walk(|node| {
            if let YulNode::Expression(YulExpression::Call(call)) = node {
                if call.name.name == name {
                    calls.push(call);
                }
            }
        });
        calls
    }
}

#[cfg(test)]
mod tests {
    use crate::yul::parse_block;

    use super::*;

    #[test]
    fn walk_is_pre_order_and_source_ordered() {
        let src = "{ for { let i := 0 } lt(i, 2) { i := add(i, 1) } { sstore(i, 0) } }";
        let parsed = parse_block(src, 0);
        let mut seen = Vec::new();
        parsed.block.walk(|node| {
            seen.push(match node {
                YulNode::Block(b) => format!("block@{}", b.span.start),
                YulNode::Statement(s) => format!("stmt@{}", s.span().start),
                YulNode::Expression(e) => e.span().text(src).to_string(),
            })
        });
        assert_eq!(
            seen,
            [
                "block@0",
                "stmt@2",
                "block@6",
                "stmt@8",
                "0",
                "lt(i, 2)",
                "i",
                "2",
                "block@30",
                "stmt@32",
                "add(i, 1)",
                "i",
                "1",
                "block@49",
                "stmt@51",
                "sstore(i, 0)",
                "i",
                "0",
            ]
        );
    }

    #[test]
    fn calls_are_found_at_any_depth() {
        let src = "{ function f() { if x { pop(delegatecall(gas(), a, 0, 0, 0, 0)) } } switch y default { selfdestruct(0) } }";
        let parsed = parse_block(src, 0);
        let names: Vec<&str> = parsed
            .block
            .function_calls()
            .iter()
            .map(|c| c.name.name.as_str())
            .collect();
        assert_eq!(names, ["pop", "delegatecall", "gas", "selfdestruct"]);
        assert_eq!(parsed.block.calls_to("delegatecall").len(), 1);
        assert_eq!(parsed.block.calls_to("delegatecall")[0].arguments.len(), 6);
        assert!(parsed.block.calls_to("call").is_empty());
    }

    /// A custom visitor that stops descending into function bodies.
    #[test]
    fn visitor_can_prune_subtrees() {
        struct TopLevelCalls<'a>(Vec<&'a str>);
        impl<'a> YulVisitor<'a> for TopLevelCalls<'a> {
            fn visit_statement(&mut self, statement: &'a YulStatement) {
                if !matches!(statement, YulStatement::FunctionDefinition(_)) {
                    walk_statement(self, statement);
                }
            }
            fn visit_expression(&mut self, expression: &'a YulExpression) {
                if let YulExpression::Call(call) = expression {
                    self.0.push(&call.name.name);
                }
                walk_expression(self, expression);
            }
        }
        let parsed = parse_block("{ function f() { sstore(0, 1) } mstore(0, f()) }", 0);
        let mut visitor = TopLevelCalls(Vec::new());
        visitor.visit_block(&parsed.block);
        assert_eq!(visitor.0, ["mstore", "f"]);
    }
}
