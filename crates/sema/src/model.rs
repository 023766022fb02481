//! The semantic model: declarations, typed views of contracts, functions
//! and state variables, and per-file side tables (resolution, types, call
//! kinds) indexed by `NodeId`.

use bulwark_syntax::ast::{
    ContractDefinition, ContractKind, FunctionDefinition, FunctionKind as AstFunctionKind, NodeId,
    StateVariable, Visibility,
};
use bulwark_syntax::yul::YulAccessSuffix;
use bulwark_syntax::Span;

use crate::builtins::Builtin;
use crate::decl::{Decl, DeclId};
use crate::project::{FileId, Project, ProjectDiagnostic, SourceFile};
use crate::ty::{Mutability, Type};

/// What a name use refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Res {
    Decl(DeclId),
    Builtin(Builtin),
    /// Several overloads fit and none could be chosen (e.g. an overloaded
    /// function used as a value, or arguments of unknown type).
    Overloaded(Vec<DeclId>),
}

impl Res {
    pub fn decl(&self) -> Option<DeclId> {
        match self {
            Res::Decl(d) => Some(*d),
            _ => None,
        }
    }

    pub fn builtin(&self) -> Option<Builtin> {
        match self {
            Res::Builtin(b) => Some(*b),
            _ => None,
        }
    }
}

/// What a call expression does, decided from its callee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// A jump to a function of this contract or its bases, a free function,
    /// an internal library function, or through `super`. For virtual
    /// functions called by name this is the statically resolved function;
    /// see [`Model::dispatch`] for the one a given most-derived contract runs.
    Internal(DeclId),
    /// A message call to a contract function (`token.transfer(...)`,
    /// `this.f()`); `function` is `None` for calls through a function-typed
    /// value of external type.
    External { function: Option<DeclId> },
    /// A public/external library function (delegatecall); `bound` when
    /// called through `using ... for` (the receiver is the first argument).
    Library { function: DeclId, bound: bool },
    /// An internal library function attached by `using ... for`.
    BoundInternal(DeclId),
    /// A call through a variable or expression of internal function type.
    InternalPointer,
    /// A built-in function: `require`, `keccak256`, `addr.call`, `.push`, …
    Builtin(Builtin),
    /// `T(x)`: an explicit type conversion to `T`.
    Conversion(Type),
    /// `S(...)`: a struct constructor.
    StructConstructor(DeclId),
    /// `new C(...)` (the contract's declaration).
    NewContract(DeclId),
    /// `new T[](n)`, `new bytes(n)`.
    NewArray,
    /// `emit E(...)` or a pre-0.4.21 event call without `emit`.
    Event(DeclId),
    /// `revert E(...)` or `E(...)` in `require(cond, E())`.
    Error(DeclId),
    /// The callee could not be resolved.
    Unknown,
}

/// The modifier list entry of a function, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModifierUse {
    /// The `ModifierInvocation` node.
    pub node: NodeId,
    pub target: ModifierTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModifierTarget {
    /// The modifier that runs (after override resolution in the function's
    /// own contract).
    Modifier(DeclId),
    /// `Base(args)` on a constructor: the base contract whose constructor
    /// is called.
    BaseConstructor(DeclId),
    Unresolved,
}

/// A direct base of a contract (`is A, B(1)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseSpec {
    /// The `InheritanceSpecifier` node.
    pub node: NodeId,
    /// `None` when the name does not resolve to a contract.
    pub contract: Option<DeclId>,
    /// Constructor arguments written here.
    pub has_args: bool,
}

/// A contract, interface or library.
#[derive(Clone, Debug)]
pub struct ContractInfo<'p> {
    pub decl: DeclId,
    pub file: FileId,
    pub ast: &'p ContractDefinition,
    pub kind: ContractKind,
    /// Declared `abstract`, or (any version) some function of its
    /// linearization is left without implementation. False for interfaces
    /// and libraries.
    pub is_abstract: bool,
    /// Direct bases in source order.
    pub bases: Vec<BaseSpec>,
    /// C3 linearization, most derived first and the contract itself
    /// included (solc's `linearizedBaseContracts`). When linearization
    /// fails (a diagnostic is reported) this is the contract followed by
    /// its bases in a best-effort order.
    pub linearization: Vec<DeclId>,
    /// Members declared in this contract's body, by kind, in source order.
    pub own: OwnMembers,
    /// Functions callable on this contract, own and inherited: for each
    /// signature the most derived implementation (constructors of bases
    /// excluded). Order: linearization order from the most derived, then
    /// source order.
    pub functions: Vec<DeclId>,
    /// Modifiers, own and inherited, overrides resolved like functions.
    pub modifiers: Vec<DeclId>,
    /// State variables in storage order: from the most basic contract to
    /// this one, each in source order (constants and immutables included;
    /// [`StateVarInfo::mutability`] tells them apart).
    pub state_vars: Vec<DeclId>,
    /// Events and errors declared here or in a base.
    pub events: Vec<DeclId>,
    pub errors: Vec<DeclId>,
    /// This contract's own constructor.
    pub constructor: Option<DeclId>,
    /// Effective fallback and receive functions (maybe inherited).
    pub fallback: Option<DeclId>,
    pub receive: Option<DeclId>,
}

/// What a contract body declares itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnMembers {
    /// Functions (constructors, fallback and receive included).
    pub functions: Vec<DeclId>,
    pub modifiers: Vec<DeclId>,
    pub state_vars: Vec<DeclId>,
    pub events: Vec<DeclId>,
    pub errors: Vec<DeclId>,
    pub structs: Vec<DeclId>,
    pub enums: Vec<DeclId>,
    pub udvts: Vec<DeclId>,
}

/// A function, constructor, fallback/receive function or modifier.
#[derive(Clone, Debug)]
pub struct FunctionInfo<'p> {
    pub decl: DeclId,
    pub file: FileId,
    /// `None` for free functions.
    pub contract: Option<DeclId>,
    pub ast: &'p FunctionDefinition,
    /// Constructor, fallback, receive or modifier as the *version* means
    /// it: a 0.4 function named after its contract is a constructor.
    pub kind: AstFunctionKind,
    /// Effective visibility (the version-dependent default applied;
    /// interface functions are external; modifiers internal).
    pub visibility: Visibility,
    pub mutability: Mutability,
    /// Declared `virtual`, an interface function, or (before 0.6) any
    /// non-private function.
    pub is_virtual: bool,
    /// The functions (or modifiers) of bases this one overrides.
    pub overrides: Vec<DeclId>,
    /// Modifier invocations and base constructor calls, in source order.
    pub modifiers: Vec<ModifierUse>,
    pub params: Vec<DeclId>,
    pub returns: Vec<DeclId>,
}

impl FunctionInfo<'_> {
    pub fn is_modifier(&self) -> bool {
        self.kind == AstFunctionKind::Modifier
    }

    pub fn has_body(&self) -> bool {
        self.ast.body.is_some()
    }

    /// Public or external.
    pub fn is_externally_callable(&self) -> bool {
        matches!(self.visibility, Visibility::Public | Visibility::External)
    }
}

/// How a state variable is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarMutability {
    Mutable,
    Constant,
    Immutable,
    Transient,
}

/// A state variable or a file-level constant.
#[derive(Clone, Debug)]
pub struct StateVarInfo<'p> {
    pub decl: DeclId,
    pub file: FileId,
    /// `None` for file-level constants.
    pub contract: Option<DeclId>,
    pub ast: &'p StateVariable,
    /// Effective visibility (default internal).
    pub visibility: Visibility,
    pub mutability: VarMutability,
    /// Declared type (storage location `storage ref` for reference types).
    pub ty: Type,
}

/// A Solidity variable used inside inline assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsmRef {
    /// The Yul identifier (`x`, `x.slot`, `x_slot`).
    pub span: Span,
    pub decl: DeclId,
    pub suffix: Option<YulAccessSuffix>,
}

/// What is known about a source range without a node of its own (see
/// [`Model::span_facts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanFact {
    pub span: Span,
    pub res: Option<Res>,
    pub ty: Option<Type>,
}

/// Per-file side tables, each indexed by `NodeId::index()`.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileTables {
    /// Resolution of identifiers, member accesses and ident paths.
    pub res: Vec<Option<Res>>,
    /// Types of expressions (and of declarations' type names).
    pub types: Vec<Option<Type>>,
    /// Spans of the expressions and paths the analysis visited.
    pub spans: Vec<Span>,
    /// Facts about source ranges that have no node of their own in our AST:
    /// import symbols (`import {A}`), the call inside `emit E(...)` and
    /// `revert E(...)`, the `type` of `type(T)`.
    pub span_facts: Vec<SpanFact>,
    /// Classification of call expressions.
    pub calls: Vec<Option<CallKind>>,
    /// Assembly references, keyed by the `Assembly` statement's node.
    pub asm: Vec<(NodeId, Vec<AsmRef>)>,
}

impl FileTables {
    pub(crate) fn new(node_count: u32) -> FileTables {
        let n = node_count as usize;
        FileTables {
            res: vec![None; n],
            types: vec![None; n],
            spans: vec![Span::DUMMY; n],
            span_facts: Vec::new(),
            calls: vec![None; n],
            asm: Vec::new(),
        }
    }
}

/// The semantic model of a project. Borrows the project's ASTs.
#[derive(Debug)]
pub struct Model<'p> {
    pub(crate) project: &'p Project,
    pub(crate) decls: Vec<Decl<'p>>,
    /// `DeclId` → its name borrowed from the AST (`""` when unnamed), for
    /// name tables that allocate no strings.
    pub(crate) names: Vec<&'p str>,
    pub(crate) contracts: Vec<ContractInfo<'p>>,
    pub(crate) functions: Vec<FunctionInfo<'p>>,
    pub(crate) state_vars: Vec<StateVarInfo<'p>>,
    /// `DeclId` → index into `contracts` / `functions` / `state_vars`.
    pub(crate) view_index: Vec<u32>,
    /// `DeclId` → the declared type (variables), the function type
    /// (functions, events, errors), `type(...)` (contracts, structs, enums,
    /// value types) or the module (import aliases).
    pub(crate) decl_types: Vec<Type>,
    /// Per file, indexed by `NodeId::index()`: the declaration a declaring
    /// node creates. Kept apart from [`FileTables`] because it is the
    /// input of the body pass, which fills the tables of files in parallel.
    pub(crate) decl_of: Vec<Vec<Option<DeclId>>>,
    pub(crate) files: Vec<FileTables>,
    pub(crate) diagnostics: Vec<ProjectDiagnostic>,
}

const NO_VIEW: u32 = u32::MAX;

impl<'p> Model<'p> {
    pub(crate) fn empty(project: &'p Project) -> Model<'p> {
        Model {
            project,
            decls: Vec::new(),
            names: Vec::new(),
            contracts: Vec::new(),
            functions: Vec::new(),
            state_vars: Vec::new(),
            view_index: Vec::new(),
            decl_types: Vec::new(),
            decl_of: project
                .files
                .iter()
                .map(|f| vec![None; f.parsed.unit.node_count as usize])
                .collect(),
            files: project
                .files
                .iter()
                .map(|f| FileTables::new(f.parsed.unit.node_count))
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    pub fn project(&self) -> &'p Project {
        self.project
    }

    pub fn file(&self, id: FileId) -> &'p SourceFile {
        self.project.file(id)
    }

    // --- declarations ----------------------------------------------------

    pub fn decl(&self, id: DeclId) -> &Decl<'p> {
        &self.decls[id.index()]
    }

    pub fn decls(&self) -> impl Iterator<Item = (DeclId, &Decl<'p>)> {
        self.decls
            .iter()
            .enumerate()
            .map(|(i, d)| (DeclId(i as u32), d))
    }

    /// The type of a declaration: a variable's declared type, a function's,
    /// event's or error's function type, `type(...)` of a contract, struct,
    /// enum or value type, `module` of an import alias.
    pub fn decl_type(&self, id: DeclId) -> &Type {
        self.decl_types.get(id.index()).unwrap_or(&Type::Unknown)
    }

    /// The declaration introduced by a declaring node (function, parameter,
    /// local variable, contract, …).
    pub fn decl_at(&self, file: FileId, node: NodeId) -> Option<DeclId> {
        *self.decl_of.get(file.index())?.get(node.index())?
    }

    /// Contracts, interfaces and libraries of all files (dependencies
    /// included), in file then source order.
    pub fn contracts(&self) -> &[ContractInfo<'p>] {
        &self.contracts
    }

    pub fn contract(&self, id: DeclId) -> Option<&ContractInfo<'p>> {
        self.view(id)
            .and_then(|i| self.contracts.get(i))
            .filter(|c| c.decl == id)
    }

    /// Functions and modifiers, contract members and free functions.
    pub fn functions(&self) -> &[FunctionInfo<'p>] {
        &self.functions
    }

    pub fn function(&self, id: DeclId) -> Option<&FunctionInfo<'p>> {
        self.view(id)
            .and_then(|i| self.functions.get(i))
            .filter(|f| f.decl == id)
    }

    /// State variables and file-level constants.
    pub fn state_vars(&self) -> &[StateVarInfo<'p>] {
        &self.state_vars
    }

    pub fn state_var(&self, id: DeclId) -> Option<&StateVarInfo<'p>> {
        self.view(id)
            .and_then(|i| self.state_vars.get(i))
            .filter(|v| v.decl == id)
    }

    fn view(&self, id: DeclId) -> Option<usize> {
        match self.view_index.get(id.index()) {
            Some(&i) if i != NO_VIEW => Some(i as usize),
            _ => None,
        }
    }

    /// The contract or free function/variable containing `id`, walking up
    /// containers (a local's function's contract, …).
    pub fn enclosing_contract(&self, id: DeclId) -> Option<DeclId> {
        let mut cur = self.decl(id).container;
        while let Some(c) = cur {
            if self.decl(c).kind == crate::decl::DeclKind::Contract {
                return Some(c);
            }
            cur = self.decl(c).container;
        }
        None
    }

    // --- side tables -----------------------------------------------------

    /// What an identifier expression, member access or identifier path
    /// refers to.
    pub fn resolution(&self, file: FileId, node: NodeId) -> Option<&Res> {
        self.files
            .get(file.index())?
            .res
            .get(node.index())?
            .as_ref()
    }

    /// The type of an expression (or of a type name node).
    pub fn type_of(&self, file: FileId, node: NodeId) -> Option<&Type> {
        self.files
            .get(file.index())?
            .types
            .get(node.index())?
            .as_ref()
    }

    /// The source range of an expression or identifier path the analysis
    /// visited (`None` for other nodes).
    pub fn node_span(&self, file: FileId, node: NodeId) -> Option<Span> {
        let span = *self.files.get(file.index())?.spans.get(node.index())?;
        (span != Span::DUMMY).then_some(span)
    }

    /// Every node of `file` with a resolution, with its span.
    pub fn resolutions(&self, file: FileId) -> impl Iterator<Item = (NodeId, Span, &Res)> {
        let t = self.files.get(file.index());
        t.into_iter().flat_map(|t| {
            t.res.iter().enumerate().filter_map(move |(i, r)| {
                let r = r.as_ref()?;
                Some((NodeId(i as u32), t.spans[i], r))
            })
        })
    }

    /// Every expression of `file` with a known type, with its span.
    pub fn typed_nodes(&self, file: FileId) -> impl Iterator<Item = (NodeId, Span, &Type)> {
        let t = self.files.get(file.index());
        t.into_iter().flat_map(|t| {
            t.types.iter().enumerate().filter_map(move |(i, ty)| {
                let ty = ty.as_ref()?;
                Some((NodeId(i as u32), t.spans[i], ty))
            })
        })
    }

    /// Resolutions and types of ranges that are not AST nodes: the names in
    /// `import {A, B as C}`, the event/error call of `emit E(x)` /
    /// `revert E(x)` (range `E(x)`), and the `type` keyword of `type(T)`.
    pub fn span_facts(&self, file: FileId) -> &[SpanFact] {
        self.files
            .get(file.index())
            .map_or(&[], |t| t.span_facts.as_slice())
    }

    /// Every inline-assembly reference of `file`.
    pub fn all_assembly_refs(&self, file: FileId) -> impl Iterator<Item = &AsmRef> {
        self.files
            .get(file.index())
            .into_iter()
            .flat_map(|t| t.asm.iter().flat_map(|(_, refs)| refs.iter()))
    }

    /// What a call expression (`ExprKind::Call` node) does.
    pub fn call_kind(&self, file: FileId, node: NodeId) -> Option<&CallKind> {
        self.files
            .get(file.index())?
            .calls
            .get(node.index())?
            .as_ref()
    }

    /// Solidity variables used by the inline assembly statement `node`.
    pub fn assembly_refs(&self, file: FileId, node: NodeId) -> &[AsmRef] {
        self.files
            .get(file.index())
            .and_then(|t| t.asm.iter().find(|(n, _)| *n == node))
            .map_or(&[], |(_, refs)| refs.as_slice())
    }

    /// Problems found while analysing (unresolved names, failed
    /// linearization, …), on top of the project's loading diagnostics.
    pub fn diagnostics(&self) -> &[ProjectDiagnostic] {
        &self.diagnostics
    }
}
