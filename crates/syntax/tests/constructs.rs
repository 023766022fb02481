//! One test per language construct the parser must turn into proper nodes,
//! legacy (0.4/0.5) and modern (0.6-0.8) alike.

mod common;

use bulwark_syntax::ast::*;
use bulwark_syntax::parse;
use common::*;

// --- file level -------------------------------------------------------------

#[test]
fn pragmas_keep_raw_version_text() {
    let parsed = parse_clean(
        "pragma solidity >=0.4.22 <0.6.0;\npragma experimental ABIEncoderV2;\npragma abicoder v2;\npragma solidity ^0.8.0;",
    );
    let pragmas: Vec<_> = parsed.unit.pragmas().collect();
    assert_eq!(pragmas.len(), 4);
    assert_eq!(pragmas[0].kind, PragmaKind::Solidity);
    assert_eq!(pragmas[0].value, ">=0.4.22 <0.6.0");
    assert_eq!(pragmas[1].kind, PragmaKind::Experimental);
    assert_eq!(pragmas[1].value, "ABIEncoderV2");
    assert_eq!(pragmas[2].kind, PragmaKind::Abicoder);
    assert_eq!(pragmas[2].value, "v2");
    assert_eq!(pragmas[3].value, "^0.8.0");
}

#[test]
fn all_import_forms() {
    let parsed = parse_clean(
        r#"import "./A.sol";
import "./B.sol" as B;
import * as C from "./C.sol";
import {x as y, z} from "./D.sol";"#,
    );
    let imports: Vec<_> = parsed.unit.imports().collect();
    assert_eq!(imports.len(), 4);
    assert_eq!(imports[0].path, "./A.sol");
    assert_eq!(imports[0].kind, ImportKind::Plain { alias: None });
    assert!(matches!(&imports[1].kind, ImportKind::Plain { alias: Some(a) } if a.name == "B"));
    assert!(matches!(&imports[2].kind, ImportKind::Glob { alias } if alias.name == "C"));
    let ImportKind::Symbols(symbols) = &imports[3].kind else {
        panic!("symbols import expected");
    };
    assert_eq!(symbols[0].name.name, "x");
    assert_eq!(symbols[0].alias.as_ref().unwrap().name, "y");
    assert_eq!(symbols[1].name.name, "z");
    assert!(symbols[1].alias.is_none());
}

#[test]
fn file_level_declarations() {
    let parsed = parse_clean(
        r#"
uint256 constant MAX = 10;
function add(uint a, uint b) pure returns (uint) { return a + b; }
event Log(address indexed who);
error Unauthorized(address caller);
struct P { uint x; }
enum E { A, B }
type Price is uint128;
using {add2 as +, sub} for Price global;
"#,
    );
    let items = &parsed.unit.items;
    assert!(matches!(&items[0], SourceItem::Variable(v) if v.is_constant && v.name.name == "MAX"));
    assert!(
        matches!(&items[1], SourceItem::Function(f) if f.mutability == Some(StateMutability::Pure))
    );
    assert!(matches!(&items[2], SourceItem::Event(e) if e.params[0].indexed));
    assert!(matches!(&items[3], SourceItem::Error(e) if e.name.name == "Unauthorized"));
    assert!(matches!(&items[4], SourceItem::Struct(s) if s.fields.len() == 1));
    assert!(matches!(&items[5], SourceItem::Enum(e) if e.variants.len() == 2));
    let SourceItem::UserValueType(udvt) = &items[6] else {
        panic!()
    };
    assert_eq!(
        udvt.underlying.kind,
        TypeNameKind::Elementary(ElementaryType::Uint(128))
    );
    let SourceItem::Using(using) = &items[7] else {
        panic!()
    };
    assert!(using.is_global);
    let UsingTarget::Functions(fs) = &using.target else {
        panic!()
    };
    assert_eq!(fs[0].operator, Some(UserOperator::Add));
    assert_eq!(fs[1].operator, None);
}

#[test]
fn contract_kinds_inheritance_and_layout() {
    let parsed = parse_clean(
        r#"
interface I {}
library L {}
abstract contract A is I {}
contract C is A, B(1, 2), Lib.D layout at 0x1234 { }
"#,
    );
    let cs: Vec<_> = parsed.unit.contracts().collect();
    assert_eq!(cs[0].kind, ContractKind::Interface);
    assert_eq!(cs[1].kind, ContractKind::Library);
    assert!(cs[2].is_abstract);
    let c = cs[3];
    assert_eq!(c.bases.len(), 3);
    assert!(c.bases[0].args.is_none());
    assert!(
        matches!(&c.bases[1].args, Some(CallArgs { kind: CallArgsKind::Positional(a), .. }) if a.len() == 2)
    );
    assert_eq!(c.bases[2].base.segments.len(), 2);
    assert!(c.layout.is_some());
}

// --- functions ----------------------------------------------------------------

#[test]
fn function_header_attributes() {
    let parsed = parse_clean(
        r#"contract C is B {
    function f(uint a, bytes calldata b) external view virtual override(B, D) onlyOwner nonReentrant(1) returns (uint x, bool) { }
    function g() internal;
    function h() payable { }
}"#,
    );
    let c = only_contract(&parsed);
    let f = function(c, "f");
    assert_eq!(f.kind, FunctionKind::Function);
    assert_eq!(f.visibility, Some(Visibility::External));
    assert_eq!(f.mutability, Some(StateMutability::View));
    assert!(f.is_virtual);
    assert_eq!(f.overrides.as_ref().unwrap().bases.len(), 2);
    assert_eq!(f.modifiers.len(), 2);
    assert!(f.modifiers[1].args.is_some());
    assert_eq!(f.params[1].location, Some(DataLocation::Calldata));
    assert_eq!(f.returns.len(), 2);
    assert_eq!(f.returns[0].name.as_ref().unwrap().name, "x");
    assert!(function(c, "g").body.is_none());
    let h = function(c, "h");
    assert_eq!(h.visibility, None, "missing visibility stays None");
    assert_eq!(h.mutability, Some(StateMutability::Payable));
}

#[test]
fn special_functions_and_modifiers() {
    let parsed = parse_clean(
        r#"contract C {
    constructor(uint a) Base(a) payable {}
    fallback() external payable {}
    fallback(bytes calldata input) external returns (bytes memory) {}
    receive() external payable {}
    modifier onlyOwner { require(msg.sender == owner); _; }
    modifier guarded(uint x) virtual { _; }
}"#,
    );
    let c = only_contract(&parsed);
    let kinds: Vec<_> = c.functions().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        vec![
            FunctionKind::Constructor,
            FunctionKind::Fallback,
            FunctionKind::Fallback,
            FunctionKind::Receive,
            FunctionKind::Modifier,
            FunctionKind::Modifier
        ]
    );
    let ctor = c.functions().next().unwrap();
    assert!(!ctor.legacy_syntax);
    assert_eq!(ctor.modifiers[0].name.last().name, "Base");
    let only_owner = function(c, "onlyOwner");
    let body = &only_owner.body.as_ref().unwrap().stmts;
    assert!(matches!(body[1].kind, StmtKind::Placeholder));
    assert!(function(c, "guarded").is_virtual);
}

#[test]
fn legacy_constructor_fallback_and_constant() {
    let parsed = parse_clean(
        r#"pragma solidity ^0.4.11;
contract Token {
    function Token(uint supply) { }
    function() payable { }
    function balance() constant returns (uint) { return 1; }
}"#,
    );
    let c = only_contract(&parsed);
    let fs: Vec<_> = c.functions().collect();
    assert_eq!(fs[0].kind, FunctionKind::Constructor);
    assert!(fs[0].legacy_syntax);
    assert_eq!(fs[0].name.as_ref().unwrap().name, "Token");
    assert_eq!(fs[1].kind, FunctionKind::Fallback);
    assert!(fs[1].legacy_syntax);
    assert!(fs[1].name.is_none());
    assert_eq!(fs[2].mutability, Some(StateMutability::Constant));
    assert_eq!(fs[2].visibility, None);
}

#[test]
fn state_variables_and_attributes() {
    let parsed = parse_clean(
        r#"contract C {
    uint public constant A = 1;
    address immutable owner;
    uint256 transient lock;
    mapping(address => uint) internal balances;
    mapping(address owner => mapping(address spender => uint256 amount)) allowances;
    uint[] public override(I) list;
    function (uint) external returns (bool) public callback;
    function () internal pure internalFn;
    uint transient;
    bool immutable = true;
}"#,
    );
    let c = only_contract(&parsed);
    let vars: Vec<_> = c.state_variables().collect();
    assert_eq!(vars.len(), 10);
    assert!(vars[0].is_constant && vars[0].visibility == Some(Visibility::Public));
    assert!(vars[1].is_immutable);
    assert!(vars[2].is_transient);
    assert!(matches!(vars[3].ty.kind, TypeNameKind::Mapping { .. }));
    let TypeNameKind::Mapping {
        key_name, value, ..
    } = &vars[4].ty.kind
    else {
        panic!()
    };
    assert_eq!(key_name.as_ref().unwrap().name, "owner");
    let TypeNameKind::Mapping { value_name, .. } = &value.kind else {
        panic!()
    };
    assert_eq!(value_name.as_ref().unwrap().name, "amount");
    assert!(vars[5].overrides.is_some());
    let TypeNameKind::Function(ft) = &vars[6].ty.kind else {
        panic!("function type expected")
    };
    assert_eq!(ft.visibility, Some(Visibility::External));
    assert_eq!(ft.returns.len(), 1);
    assert_eq!(vars[6].visibility, Some(Visibility::Public));
    assert_eq!(vars[6].name.name, "callback");
    assert_eq!(vars[7].name.name, "internalFn");
    // Contextual keywords as names.
    assert_eq!(vars[8].name.name, "transient");
    assert!(!vars[8].is_transient);
    assert_eq!(vars[9].name.name, "immutable");
}

#[test]
fn type_names() {
    let parsed = parse_clean(
        r#"contract C {
    address payable a;
    byte b;
    ufixed128x18 f;
    A.B.S s;
    uint[2][] grid;
    bytes32[N * 2] fixedArr;
}"#,
    );
    let c = only_contract(&parsed);
    let tys: Vec<_> = c.state_variables().map(|v| &v.ty.kind).collect();
    assert_eq!(
        *tys[0],
        TypeNameKind::Elementary(ElementaryType::Address { payable: true })
    );
    assert_eq!(
        *tys[1],
        TypeNameKind::Elementary(ElementaryType::FixedBytes(1))
    );
    assert_eq!(
        *tys[2],
        TypeNameKind::Elementary(ElementaryType::Ufixed(128, 18))
    );
    assert!(matches!(tys[3], TypeNameKind::UserDefined(p) if p.segments.len() == 3));
    let TypeNameKind::Array { base, length } = tys[4] else {
        panic!()
    };
    assert!(length.is_none());
    assert!(matches!(
        &base.kind,
        TypeNameKind::Array {
            length: Some(_),
            ..
        }
    ));
    assert!(matches!(
        tys[5],
        TypeNameKind::Array {
            length: Some(_),
            ..
        }
    ));
}

#[test]
fn events_errors_structs_enums_in_contract() {
    let parsed = parse_clean(
        r#"contract C {
    event Transfer(address indexed from, address indexed to, uint value) anonymous;
    error Insufficient(uint available, uint required);
    struct S { uint a; mapping(uint => bool) m; }
    enum State { Open, Closed, }
    type Id is bytes32;
    using SafeMath for uint256;
    using L for *;
}"#,
    );
    let c = only_contract(&parsed);
    assert!(
        matches!(&c.members[0], ContractMember::Event(e) if e.is_anonymous && e.params[0].indexed && e.params[0].name.as_ref().unwrap().name == "from")
    );
    assert!(matches!(&c.members[1], ContractMember::Error(e) if e.params.len() == 2));
    assert!(matches!(&c.members[2], ContractMember::Struct(s) if s.fields.len() == 2));
    assert!(matches!(&c.members[3], ContractMember::Enum(e) if e.variants.len() == 2));
    assert!(matches!(&c.members[4], ContractMember::UserValueType(_)));
    assert!(matches!(&c.members[5], ContractMember::Using(u) if u.ty.is_some()));
    assert!(matches!(&c.members[6], ContractMember::Using(u) if u.ty.is_none()));
}

// --- statements ------------------------------------------------------------------

#[test]
fn control_flow_statements() {
    let s = stmts(
        r#"
        if (a) b(); else { c(); }
        for (uint i = 0; i < n; i++) { continue; }
        for (;;) { break; }
        while (x) x--;
        do { y++; } while (y < 10);
        return;
        return (1, 2);
        "#,
    );
    assert!(matches!(
        s[0].kind,
        StmtKind::If {
            else_branch: Some(_),
            ..
        }
    ));
    assert!(
        matches!(&s[1].kind, StmtKind::For { init: Some(init), cond: Some(_), update: Some(_), .. } if matches!(init.kind, StmtKind::VarDecl(_)))
    );
    assert!(matches!(
        s[2].kind,
        StmtKind::For {
            init: None,
            cond: None,
            update: None,
            ..
        }
    ));
    assert!(matches!(s[3].kind, StmtKind::While { .. }));
    assert!(matches!(s[4].kind, StmtKind::DoWhile { .. }));
    assert!(matches!(s[5].kind, StmtKind::Return(None)));
    assert!(matches!(s[6].kind, StmtKind::Return(Some(_))));
}

#[test]
fn variable_declarations() {
    let s = stmts(
        r#"
        uint x = 1;
        uint[] memory arr = new uint[](3);
        S storage s = items[i];
        (uint a, , bool b) = f();
        (, address who) = g();
        (a, b) = (b, a);
        address payable p = payable(msg.sender);
        mapping(uint => uint) storage m = maps[0];
        function (uint) external returns (uint) cb = this.h;
        A.B[2] memory pair;
        "#,
    );
    let StmtKind::VarDecl(d) = &s[0].kind else {
        panic!()
    };
    assert!(!d.is_tuple && d.init.is_some());
    let StmtKind::VarDecl(d) = &s[1].kind else {
        panic!()
    };
    assert_eq!(
        d.decls[0].as_ref().unwrap().location,
        Some(DataLocation::Memory)
    );
    assert!(
        matches!(&s[2].kind, StmtKind::VarDecl(d) if d.decls[0].as_ref().unwrap().location == Some(DataLocation::Storage))
    );
    let StmtKind::VarDecl(d) = &s[3].kind else {
        panic!()
    };
    assert!(d.is_tuple);
    assert_eq!(d.decls.len(), 3);
    assert!(d.decls[1].is_none());
    let StmtKind::VarDecl(d) = &s[4].kind else {
        panic!()
    };
    assert!(d.decls[0].is_none() && d.decls[1].is_some());
    assert!(matches!(
        &s[5].kind,
        StmtKind::Expr(Expr {
            kind: ExprKind::Assign { .. },
            ..
        })
    ));
    assert!(matches!(&s[6].kind, StmtKind::VarDecl(_)));
    assert!(matches!(&s[7].kind, StmtKind::VarDecl(_)));
    assert!(matches!(&s[8].kind, StmtKind::VarDecl(_)));
    assert!(matches!(&s[9].kind, StmtKind::VarDecl(_)));
}

#[test]
fn legacy_var_and_throw() {
    let s = stmts("var x = 1; var (a, , c) = f(); if (x == 0) throw;");
    let StmtKind::VarDecl(d) = &s[0].kind else {
        panic!()
    };
    assert!(d.decls[0].as_ref().unwrap().ty.is_none());
    let StmtKind::VarDecl(d) = &s[1].kind else {
        panic!()
    };
    assert!(d.is_tuple && d.decls.len() == 3 && d.decls[1].is_none());
    let StmtKind::If { then_branch, .. } = &s[2].kind else {
        panic!()
    };
    assert!(matches!(then_branch.kind, StmtKind::Throw));
}

#[test]
fn emit_revert_and_emitless_event_calls() {
    let s = stmts("emit Transfer(a, b, 1); emit I.Log({x: 1}); revert Unauthorized(msg.sender); revert(\"no\"); revert(); Transfer(a, b, 1);");
    let StmtKind::Emit { event, args } = &s[0].kind else {
        panic!()
    };
    assert_eq!(show(event), "Transfer");
    assert!(matches!(&args.kind, CallArgsKind::Positional(a) if a.len() == 3));
    let StmtKind::Emit { event, args } = &s[1].kind else {
        panic!()
    };
    assert_eq!(show(event), "I.Log");
    assert!(matches!(args.kind, CallArgsKind::Named(_)));
    assert!(matches!(&s[2].kind, StmtKind::Revert { error, .. } if show(error) == "Unauthorized"));
    assert!(matches!(&s[3].kind, StmtKind::Expr(e) if show(e) == "revert(\"no\")"));
    assert!(matches!(&s[4].kind, StmtKind::Expr(_)));
    assert!(matches!(&s[5].kind, StmtKind::Expr(e) if show(e) == "Transfer(a, b, 1)"));
}

#[test]
fn try_catch_all_clause_forms() {
    let k = one_stmt(
        r#"try token.transfer{gas: 5000}(to, 1) returns (bool ok) { x = ok; }
        catch Error(string memory reason) { }
        catch Panic(uint code) { }
        catch (bytes memory data) { }
        catch { }"#,
    );
    let StmtKind::Try(t) = k else { panic!() };
    assert!(
        matches!(&t.expr.kind, ExprKind::Call { callee, .. } if matches!(callee.kind, ExprKind::CallOptions { .. }))
    );
    assert_eq!(t.returns.len(), 1);
    assert_eq!(t.catches.len(), 4);
    assert_eq!(t.catches[0].name.as_ref().unwrap().name, "Error");
    assert_eq!(t.catches[1].name.as_ref().unwrap().name, "Panic");
    assert!(t.catches[2].name.is_none() && t.catches[2].params.as_ref().unwrap().len() == 1);
    assert!(t.catches[3].params.is_none());

    let StmtKind::Try(t) = one_stmt("try new Pair{salt: s}() returns (Pair p) {} catch {}") else {
        panic!()
    };
    assert_eq!(t.catches.len(), 1);
    let StmtKind::Try(t) = one_stmt("try this.f() {} catch {}") else {
        panic!()
    };
    assert!(t.returns.is_empty());
}

#[test]
fn unchecked_block_and_placeholder() {
    let s = stmts("unchecked { i++; } { uint y; }");
    assert!(matches!(&s[0].kind, StmtKind::Unchecked(b) if b.stmts.len() == 1));
    assert!(matches!(&s[1].kind, StmtKind::Block(_)));
}

#[test]
fn inline_assembly_with_dialect_and_flags() {
    let s = stmts(
        r#"assembly { let x := mload(0x40) } assembly "evmasm" ("memory-safe") { sstore(0, 1) } uint after = 1;"#,
    );
    assert_eq!(s.len(), 3);
    let StmtKind::Assembly(a) = &s[0].kind else {
        panic!()
    };
    assert!(a.dialect.is_none() && a.flags.is_empty());
    let StmtKind::Assembly(a) = &s[1].kind else {
        panic!()
    };
    assert_eq!(a.dialect.as_deref(), Some("evmasm"));
    assert_eq!(a.flags, vec!["memory-safe".to_string()]);
    assert!(matches!(&s[2].kind, StmtKind::VarDecl(_)));
}

#[test]
fn assembly_braces_in_strings_and_comments_do_not_confuse() {
    let src = r#"contract C { function f() public {
        assembly {
            // } a brace in a comment
            let s := "}"
            /* { */
        }
        x = 1;
    } }"#;
    let parsed = parse_clean(src);
    let c = only_contract(&parsed);
    assert_eq!(function(c, "f").body.as_ref().unwrap().stmts.len(), 2);
    assert_eq!(
        parsed.comments.len(),
        2,
        "comments inside assembly are recorded"
    );
}

// --- expressions ------------------------------------------------------------------

#[test]
fn precedence_and_associativity() {
    assert_eq!(show(&expr("a + b * c")), "(a + (b * c))");
    assert_eq!(show(&expr("a - b - c")), "((a - b) - c)");
    assert_eq!(show(&expr("a ** b ** c")), "(a ** (b ** c))");
    assert_eq!(show(&expr("-x ** 2")), "((Neg x) ** 2)");
    assert_eq!(show(&expr("a << 1 + b")), "(a << (1 + b))");
    assert_eq!(show(&expr("a & b == c")), "((a & b) == c)");
    assert_eq!(
        show(&expr("a == b && c != d || e")),
        "(((a == b) && (c != d)) || e)"
    );
    assert_eq!(show(&expr("a | b ^ c & d")), "(a | (b ^ (c & d)))");
    assert_eq!(show(&expr("a < b == c > d")), "((a < b) == (c > d))");
    assert_eq!(show(&expr("x = y = z")), "(x = (y = z))");
    assert_eq!(show(&expr("x += a ? b : c")), "(x += (a ? b : c))");
    assert_eq!(show(&expr("a ? b : c ? d : e")), "(a ? b : (c ? d : e))");
    assert_eq!(show(&expr("!a && ~b > 0")), "((Not a) && ((BitNot b) > 0))");
    assert_eq!(show(&expr("i++ + ++j")), "((PostInc i) + (PreInc j))");
    assert_eq!(show(&expr("delete m[k]")), "(Delete m[k])");
    assert_eq!(show(&expr("x >>= 2")), "(x >>= 2)");
}

#[test]
fn pre_0_7_pragma_makes_pow_left_associative() {
    let src = "pragma solidity ^0.6.0; contract C { function f() public { a ** b ** c; } }";
    let parsed = parse_clean(src);
    let c = only_contract(&parsed);
    let StmtKind::Expr(e) = &function(c, "f").body.as_ref().unwrap().stmts[0].kind else {
        panic!()
    };
    assert_eq!(show(e), "((a ** b) ** c)");
}

#[test]
fn literals() {
    assert_eq!(show(&expr("1 ether")), "1Ether");
    assert_eq!(show(&expr("2 years")), "2Years");
    assert_eq!(
        show(&expr("5 gwei + 1 finney + 1 szabo + 1 wei")),
        "(((5Gwei + 1Finney) + 1Szabo) + 1Wei)"
    );
    assert_eq!(show(&expr("1_000_000")), "1000000");
    assert_eq!(show(&expr("0xFF")), "0xFF");
    assert_eq!(show(&expr("1e18")), "1e18");
    assert_eq!(show(&expr("2.5e-3")), "2.5e-3");
    assert_eq!(show(&expr("true != false")), "(true != false)");
    let e = expr(r#""ab" "cd""#);
    assert!(
        matches!(&e.kind, ExprKind::Literal(Literal::String { kind: StringKind::Plain, value }) if value == b"abcd")
    );
    let e = expr(r#"hex"00ff""#);
    assert!(
        matches!(&e.kind, ExprKind::Literal(Literal::String { kind: StringKind::Hex, value }) if value == &[0, 255])
    );
    let e = expr(r#"unicode"héllo ✓""#);
    assert!(
        matches!(&e.kind, ExprKind::Literal(Literal::String { kind: StringKind::Unicode, value }) if value == "héllo ✓".as_bytes())
    );
}

#[test]
fn calls_members_and_options() {
    assert_eq!(show(&expr("a.b.c(1)")), "a.b.c(1)");
    assert_eq!(show(&expr("f({a: 1, b: x})")), "f({a: 1, b: x})");
    assert_eq!(
        show(&expr("addr.call{value: 1 ether, gas: g}(data)")),
        "addr.call{value: 1Ether, gas: g}(data)"
    );
    assert_eq!(
        show(&expr("addr.call.value(x).gas(y)(data)")),
        "addr.call.value(x).gas(y)(data)"
    );
    assert_eq!(show(&expr("msg.gas")), "msg.gas");
    assert_eq!(show(&expr("block.blockhash(1)")), "block.blockhash(1)");
    assert_eq!(show(&expr("suicide(owner)")), "suicide(owner)");
    assert_eq!(show(&expr("sha3(x)")), "sha3(x)");
    assert_eq!(show(&expr("a.callcode(x)")), "a.callcode(x)");
    assert_eq!(
        show(&expr("abi.encodeCall(IERC20.transfer, (to, 1))")),
        "abi.encodeCall(IERC20.transfer, <to, 1>)"
    );
    assert_eq!(show(&expr("this.f.address")), "this.f.address");
    assert_eq!(show(&expr("arr.length")), "arr.length");
}

#[test]
fn index_slice_tuple_array() {
    assert_eq!(show(&expr("m[a][b]")), "m[a][b]");
    assert_eq!(show(&expr("data[4:]")), "data[4:]");
    assert_eq!(show(&expr("data[:32]")), "data[:32]");
    assert_eq!(show(&expr("data[s:e]")), "data[s:e]");
    assert_eq!(show(&expr("(a, , b) = f()")), "(<a, , b> = f())");
    assert_eq!(show(&expr("[1, 2, 3]")), "[1, 2, 3]");
    assert_eq!(show(&expr("(x)")), "<x>");
}

#[test]
fn type_expressions() {
    assert_eq!(show(&expr("uint256(x)")), "Uint(256)(x)");
    assert_eq!(show(&expr("payable(x)")), "Address { payable: true }(x)");
    assert_eq!(
        show(&expr("address(this).balance")),
        "Address { payable: false }(this).balance"
    );
    assert_eq!(show(&expr("type(uint).max")), "type(T).max");
    assert_eq!(show(&expr("type(I).interfaceId")), "type(T).interfaceId");
    assert_eq!(show(&expr("new uint[](5)")), "new T(5)");
    assert_eq!(show(&expr("new C{value: 1}(a)")), "new T{value: 1}(a)");
    assert_eq!(
        show(&expr("abi.decode(d, (uint, bytes32[]))")),
        "abi.decode(d, <Uint(256), FixedBytes(32)[]>)"
    );
}

// --- contextual keywords as names (old code) ------------------------------------------

#[test]
fn contextual_keywords_are_ordinary_names_in_old_code() {
    let parsed = parse_clean(
        r#"pragma solidity ^0.4.18;
contract Old {
    uint error;
    address receive;
    bool constructor;
    uint emit;
    function revert(uint from) internal { }
    function f(uint global, uint layout, uint at, uint leave, uint unchecked) public {
        uint fallback = error + emit;
        error = 1;
        emit = 2;
        unchecked = 3;
        from(receive);
    }
}"#,
    );
    let c = only_contract(&parsed);
    assert_eq!(c.state_variables().count(), 4);
    assert_eq!(function(c, "f").params.len(), 5);
    assert_eq!(function(c, "f").body.as_ref().unwrap().stmts.len(), 5);
}

// --- ids, spans and docs --------------------------------------------------------------

#[test]
fn node_ids_are_unique_and_dense() {
    let parsed = parse_clean(
        "contract C { uint x; function f(uint a) public returns (uint) { return a + x * 2; } }",
    );
    let n = parsed.unit.node_count;
    assert!(n > 10);
    // Re-parsing yields the same numbering.
    assert_eq!(
        parse(
            "contract C { uint x; function f(uint a) public returns (uint) { return a + x * 2; } }"
        )
        .unit,
        parsed.unit
    );
    let c = only_contract(&parsed);
    let f = function(c, "f");
    let mut ids = vec![c.id, f.id, f.params[0].id, f.returns[0].id];
    let StmtKind::Return(Some(e)) = &f.body.as_ref().unwrap().stmts[0].kind else {
        panic!()
    };
    ids.push(e.id);
    if let ExprKind::Binary { lhs, rhs, .. } = &e.kind {
        ids.push(lhs.id);
        ids.push(rhs.id);
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
    assert!(ids.iter().all(|id| id.0 < n));
}

#[test]
fn spans_cover_their_text() {
    let src = "contract C { function f() public { uint x = a + b; } }";
    let parsed = parse_clean(src);
    let c = only_contract(&parsed);
    assert_eq!(c.span.text(src), src);
    assert_eq!(c.name.span.text(src), "C");
    let f = function(c, "f");
    assert_eq!(f.span.text(src), "function f() public { uint x = a + b; }");
    let stmt = &f.body.as_ref().unwrap().stmts[0];
    assert_eq!(stmt.span.text(src), "uint x = a + b;");
    let StmtKind::VarDecl(d) = &stmt.kind else {
        panic!()
    };
    assert_eq!(d.init.as_ref().unwrap().span.text(src), "a + b");
}

#[test]
fn natspec_is_attached_to_declarations() {
    let src = r#"
/// @title A token
/// @author someone
contract C {
    // plain comment, not docs
    uint x;
    /**
     * @notice Does things.
     * @param a the input
     */
    function f(uint a) public {}
    /// @dev event docs
    event E();
}"#;
    let parsed = parse_clean(src);
    let c = only_contract(&parsed);
    assert_eq!(
        c.docs.as_ref().unwrap().text,
        "@title A token\n@author someone"
    );
    assert!(c.state_variables().next().unwrap().docs.is_none());
    assert_eq!(
        function(c, "f").docs.as_ref().unwrap().text,
        "@notice Does things.\n@param a the input"
    );
    assert!(
        matches!(&c.members[2], ContractMember::Event(e) if e.docs.as_ref().unwrap().text == "@dev event docs")
    );
    assert_eq!(parsed.comments.len(), 5);
    assert_eq!(parsed.comments.iter().filter(|c| c.is_doc).count(), 4);
}
