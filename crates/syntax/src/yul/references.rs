//! Identifiers an assembly block uses without declaring them: references
//! to Solidity variables (`owner`, `x.slot`, `data.offset`, 0.4's `x_slot`)
//! that the semantic layer must resolve.
//!
//! Applies Yul's scoping rules: a `let` is visible after its statement in
//! its block and nested blocks; functions and (old-style) labels are
//! visible in their whole block; a `for` loop's init block scopes over the
//! condition, post block and body; a function body sees its parameters,
//! return variables and the functions around it, but not outer variables.

use super::ast::*;
use super::builtins::is_evm_builtin;

/// Whether a use of a name reads or writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YulAccess {
    Read,
    /// Target of `:=` or of an old-style `=:`.
    Write,
}

/// One use of a name that the assembly block does not declare.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YulReference<'a> {
    pub ident: &'a YulIdentifier,
    pub access: YulAccess,
}

impl YulBlock {
    /// Every use of a name not declared inside the block, one entry per
    /// occurrence, in evaluation order (an assignment's value before its
    /// targets): identifier expressions, assignment and stack-assignment
    /// targets, and old-style bare instructions that are not opcodes.
    /// Builtin names used without parentheses (old-style `x := gas`) count
    /// as builtins, not references. Callee names are never included: Yul
    /// cannot call Solidity functions.
    pub fn external_references(&self) -> Vec<YulReference<'_>> {
        let mut resolver = Resolver {
            scope: Vec::new(),
            function_barrier: 0,
            external: Vec::new(),
        };
        resolver.block(self);
        resolver.external
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Variable,
    /// Functions and labels: visible across function boundaries.
    Hoisted,
}

struct Resolver<'a> {
    /// Names in scope, innermost last.
    scope: Vec<(&'a str, NameKind)>,
    /// Variables below this index belong to code outside the function being
    /// resolved and are invisible.
    function_barrier: usize,
    external: Vec<YulReference<'a>>,
}

impl<'a> Resolver<'a> {
    fn is_declared(&self, name: &str) -> bool {
        self.scope.iter().enumerate().rev().any(|(i, &(n, kind))| {
            n == name && (kind == NameKind::Hoisted || i >= self.function_barrier)
        })
    }

    fn use_name(&mut self, ident: &'a YulIdentifier, access: YulAccess) {
        if !self.is_declared(&ident.name) {
            self.external.push(YulReference { ident, access });
        }
    }

    fn block(&mut self, block: &'a YulBlock) {
        let mark = self.scope.len();
        self.statements(&block.statements);
        self.scope.truncate(mark);
    }

    /// Resolves statements in the current scope (the caller restores it).
    fn statements(&mut self, statements: &'a [YulStatement]) {
        for statement in statements {
            match statement {
                YulStatement::FunctionDefinition(f) => {
                    self.scope.push((&f.name.name, NameKind::Hoisted))
                }
                YulStatement::Label(l) => self.scope.push((&l.name.name, NameKind::Hoisted)),
                _ => {}
            }
        }
        for statement in statements {
            self.statement(statement);
        }
    }

    fn statement(&mut self, statement: &'a YulStatement) {
        match statement {
            YulStatement::Block(block) => self.block(block),
            YulStatement::VariableDeclaration(decl) => {
                // `let x := x` reads an outer `x`: resolve the value first.
                if let Some(value) = &decl.value {
                    self.expression(value);
                }
                for name in &decl.names {
                    self.scope.push((&name.name.name, NameKind::Variable));
                }
            }
            YulStatement::Assignment(assignment) => {
                self.expression(&assignment.value);
                for target in &assignment.targets {
                    self.use_name(target, YulAccess::Write);
                }
            }
            YulStatement::If(if_statement) => {
                self.expression(&if_statement.condition);
                self.block(&if_statement.body);
            }
            YulStatement::Switch(switch) => {
                self.expression(&switch.expression);
                for case in &switch.cases {
                    self.block(&case.body);
                }
            }
            YulStatement::For(for_loop) => {
                let mark = self.scope.len();
                self.statements(&for_loop.init.statements);
                self.expression(&for_loop.condition);
                self.block(&for_loop.post);
                self.block(&for_loop.body);
                self.scope.truncate(mark);
            }
            YulStatement::FunctionDefinition(function) => {
                let mark = self.scope.len();
                let outer_barrier = std::mem::replace(&mut self.function_barrier, mark);
                for name in function.params.iter().chain(&function.returns) {
                    self.scope.push((&name.name.name, NameKind::Variable));
                }
                self.block(&function.body);
                self.scope.truncate(mark);
                self.function_barrier = outer_barrier;
            }
            YulStatement::Expression(expression) => self.expression(expression),
            YulStatement::StackAssignment(assignment) => {
                self.use_name(&assignment.target, YulAccess::Write)
            }
            YulStatement::Instruction(ident) => {
                if !is_evm_builtin(&ident.name) {
                    self.use_name(ident, YulAccess::Read);
                }
            }
            YulStatement::Break(_)
            | YulStatement::Continue(_)
            | YulStatement::Leave(_)
            | YulStatement::Label(_) => {}
        }
    }

    fn expression(&mut self, expression: &'a YulExpression) {
        match expression {
            YulExpression::Call(call) => {
                for argument in &call.arguments {
                    self.expression(argument);
                }
            }
            // Yul forbids declaring builtin names, so a builtin name used
            // without parentheses is an old-style opcode, not a variable.
            YulExpression::Identifier(ident) => {
                if !is_evm_builtin(&ident.name) {
                    self.use_name(ident, YulAccess::Read);
                }
            }
            YulExpression::Literal(_) | YulExpression::Error(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::yul::parse_block;

    use super::YulAccess;

    fn external(src: &str) -> Vec<String> {
        let parsed = parse_block(src, 0);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed
            .block
            .external_references()
            .iter()
            .map(|r| r.ident.name.clone())
            .collect()
    }

    #[test]
    fn writes_are_told_from_reads() {
        let parsed = parse_block("{ result, ok := f(input) =: slot_ptr pop(result) }", 0);
        let accesses: Vec<(&str, YulAccess)> = parsed
            .block
            .external_references()
            .iter()
            .map(|r| (r.ident.name.as_str(), r.access))
            .collect();
        assert_eq!(
            accesses,
            [
                ("input", YulAccess::Read),
                ("result", YulAccess::Write),
                ("ok", YulAccess::Write),
                ("slot_ptr", YulAccess::Write),
                ("result", YulAccess::Read),
            ]
        );
    }

    #[test]
    fn solidity_variables_are_external_yul_locals_are_not() {
        assert_eq!(
            external("{ let v := sload(owner.slot) if v { sstore(x_slot, add(v, amount)) } result := v }"),
            ["owner.slot", "x_slot", "amount", "result"]
        );
    }

    #[test]
    fn let_is_visible_only_after_its_statement_and_inside_its_block() {
        assert_eq!(external("{ let a := a { let b := a } pop(b) }"), ["a", "b"]);
    }

    #[test]
    fn functions_and_labels_are_hoisted() {
        assert_eq!(
            external("{ jump(end) f() end: function f() {} }"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn function_bodies_do_not_see_outer_variables() {
        assert_eq!(
            external(
                "{ let outer := 1 function g(p) -> r { r := add(p, outer) h() } function h() {} }"
            ),
            ["outer"]
        );
    }

    #[test]
    fn for_init_scopes_over_the_whole_loop() {
        assert_eq!(
            external("{ for { let i := 0 } lt(i, n) { i := add(i, 1) } { mstore(i, 0) } pop(i) }"),
            ["n", "i"]
        );
    }

    #[test]
    fn old_style_opcodes_are_not_references() {
        assert_eq!(
            external("{ _gas := gas 0x40 mload =: ptr dup1 swap1 pop tag }"),
            ["_gas", "ptr", "tag"]
        );
    }
}
