//! Facts from solc's compact AST JSON (the `ast` of standard-JSON output).
//!
//! The compact format is stable enough across 0.4.12–0.8.x for what we read;
//! the differences handled here are:
//! - function kinds: 0.4 has `isConstructor` and an empty name for the
//!   fallback, 0.5+ has `kind` (`freeFunction` since 0.7.1);
//! - abstractness: `abstract` since 0.6, `fullyImplemented` before;
//! - variable mutability: `mutability` since 0.6, `constant` before;
//! - assembly references: `externalReferences` is a list of one-key objects
//!   `{name: info}` before 0.6 and a list of `info` objects after;
//! - name locations: `nameLocation` exists only since 0.8.2; for older
//!   output the name is searched for in the declaration's source text.

use std::collections::HashMap;

use serde_json::Value;

use crate::facts::{
    Contract, ContractKind, DeclLoc, ExprKind, ExprType, Facts, FileItem, FunctionKind, Item,
    Mutability, RefKind, Reference, SourceRange, Target, Visibility,
};

/// One source of a compilation unit as solc returned it.
#[derive(Debug, Clone, Copy)]
pub struct AstSource<'a> {
    /// Source unit name.
    pub path: &'a str,
    /// solc's file index (the third component of `src`).
    pub id: u32,
    pub ast: &'a Value,
    /// The file's text, used to locate declaration names in output older
    /// than 0.8.2; without it a declaration's whole range stands in.
    pub text: Option<&'a str>,
}

/// Extract the facts of the sources accepted by `include` from one
/// compilation unit. Every source of the unit is needed (not only the
/// included ones) so that references into imported files can be resolved.
pub fn extract_unit(sources: &[AstSource<'_>], include: &dyn Fn(&str) -> bool) -> Facts {
    let files = FileTable::new(sources);
    let mut declarations = HashMap::new();
    for source in sources {
        collect_declarations(source.ast, &files, &mut declarations);
    }
    let mut facts = Facts::default();
    for source in sources.iter().filter(|s| include(s.path)) {
        let mut extractor = Extractor {
            files: &files,
            declarations: &declarations,
            facts: &mut facts,
        };
        extractor.structure(source);
        extractor.visit(source.ast);
    }
    facts.canonicalize();
    facts
}

/// File index → name and text.
struct FileTable<'a> {
    by_id: HashMap<u32, &'a str>,
    text_by_path: HashMap<&'a str, &'a str>,
}

impl<'a> FileTable<'a> {
    fn new(sources: &[AstSource<'a>]) -> Self {
        FileTable {
            by_id: sources.iter().map(|s| (s.id, s.path)).collect(),
            text_by_path: sources
                .iter()
                .filter_map(|s| Some((s.path, s.text?)))
                .collect(),
        }
    }

    /// Parse a `start:length:file` location.
    fn range(&self, src: &str) -> Option<SourceRange> {
        let mut parts = src.split(':');
        let start: i64 = parts.next()?.parse().ok()?;
        let length: i64 = parts.next()?.parse().ok()?;
        let file: i64 = parts.next()?.parse().ok()?;
        if start < 0 || length < 0 || file < 0 {
            return None;
        }
        let path = self.by_id.get(&u32::try_from(file).ok()?)?;
        Some(SourceRange::new(
            *path,
            u32::try_from(start).ok()?,
            u32::try_from(start + length).ok()?,
        ))
    }

    fn text_of(&self, range: &SourceRange) -> Option<&'a str> {
        self.text_by_path
            .get(range.file.as_str())
            .and_then(|text| text.get(range.start as usize..range.end as usize))
    }
}

fn node_type(node: &Value) -> Option<&str> {
    node.get("nodeType")?.as_str()
}

fn str_field<'v>(node: &'v Value, key: &str) -> Option<&'v str> {
    node.get(key)?.as_str()
}

fn children<'v>(node: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    node.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// solc node id → where the declaration's name is.
type Declarations = HashMap<i64, DeclLoc>;

fn collect_declarations(node: &Value, files: &FileTable<'_>, out: &mut Declarations) {
    match node {
        Value::Object(map) => {
            if let (Some(id), Some(kind)) = (map.get("id").and_then(Value::as_i64), node_type(node))
            {
                if let Some(decl) = declaration_of(node, kind, files) {
                    out.insert(id, decl);
                }
            }
            for value in map.values() {
                collect_declarations(value, files, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_declarations(item, files, out);
            }
        }
        _ => {}
    }
}

const DECLARATION_KINDS: &[&str] = &[
    "ContractDefinition",
    "FunctionDefinition",
    "ModifierDefinition",
    "EventDefinition",
    "ErrorDefinition",
    "StructDefinition",
    "EnumDefinition",
    "EnumValue",
    "UserDefinedValueTypeDefinition",
    "VariableDeclaration",
];

fn declaration_of(node: &Value, kind: &str, files: &FileTable<'_>) -> Option<DeclLoc> {
    if kind == "ImportDirective" {
        let alias = str_field(node, "unitAlias").filter(|a| !a.is_empty())?;
        let whole = files.range(str_field(node, "src")?)?;
        let at = located_name(node, files)
            .or_else(|| find_import_alias(files, &whole, alias))
            .unwrap_or(whole);
        return Some(DeclLoc {
            name: alias.to_string(),
            at,
        });
    }
    if !DECLARATION_KINDS.contains(&kind) {
        return None;
    }
    let name = str_field(node, "name")?;
    let whole = files.range(str_field(node, "src")?)?;
    let at = if name.is_empty() {
        None
    } else {
        located_name(node, files).or_else(|| search_name(node, kind, name, files, &whole))
    }
    .unwrap_or(whole);
    Some(DeclLoc {
        name: name.to_string(),
        at,
    })
}

/// 0.8.2+ `nameLocation`.
fn located_name(node: &Value, files: &FileTable<'_>) -> Option<SourceRange> {
    files.range(str_field(node, "nameLocation")?)
}

/// Find `name` as a whole word in the declaration's text. For variables the
/// name is the last word before the initializer (`Oracle constant oracle =
/// Oracle(...)`); for everything else it is the first occurrence after the
/// keyword (`function transfer(...)`).
fn search_name(
    node: &Value,
    kind: &str,
    name: &str,
    files: &FileTable<'_>,
    whole: &SourceRange,
) -> Option<SourceRange> {
    let mut scope = whole.clone();
    if kind == "VariableDeclaration" {
        if let Some(value_start) = node
            .get("value")
            .and_then(|v| str_field(v, "src"))
            .and_then(|src| files.range(src))
            .map(|r| r.start)
        {
            scope.end = value_start.clamp(scope.start, scope.end);
        }
    }
    let text = files.text_of(&scope)?;
    let mut hits = word_occurrences(text, name);
    let offset = if kind == "VariableDeclaration" {
        hits.next_back()?
    } else {
        hits.next()?
    };
    let start = scope.start + offset as u32;
    Some(SourceRange::new(
        scope.file.clone(),
        start,
        start + name.len() as u32,
    ))
}

/// `import "x.sol" as M;` / `import * as M from "x.sol";`: the word after `as`.
fn find_import_alias(
    files: &FileTable<'_>,
    whole: &SourceRange,
    alias: &str,
) -> Option<SourceRange> {
    let text = files.text_of(whole)?;
    let offset = word_occurrences(text, alias).find(|&offset| {
        text[..offset]
            .trim_end()
            .strip_suffix("as")
            .is_some_and(|before| !before.ends_with(is_ident_char))
    })?;
    let start = whole.start + offset as u32;
    Some(SourceRange::new(
        whole.file.clone(),
        start,
        start + alias.len() as u32,
    ))
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Byte offsets of `word` in `text` where it is not part of a longer
/// identifier.
fn word_occurrences<'t>(
    text: &'t str,
    word: &'t str,
) -> impl DoubleEndedIterator<Item = usize> + 't {
    text.match_indices(word)
        .map(|(offset, _)| offset)
        .filter(move |&offset| {
            let before_ok = !text[..offset].ends_with(is_ident_char);
            let after_ok = !text[offset + word.len()..].starts_with(is_ident_char);
            before_ok && after_ok
        })
        .collect::<Vec<_>>()
        .into_iter()
}

struct Extractor<'x, 'a> {
    files: &'x FileTable<'a>,
    declarations: &'x Declarations,
    facts: &'x mut Facts,
}

impl Extractor<'_, '_> {
    /// Contracts with their members, and file-level items.
    fn structure(&mut self, source: &AstSource<'_>) {
        for node in children(source.ast, "nodes") {
            if node_type(node) == Some("ContractDefinition") {
                if let Some(contract) = self.contract(node, source.path) {
                    self.facts.contracts.push(contract);
                }
            } else if let Some(item) = item_of(node) {
                self.facts.file_items.push(FileItem {
                    file: source.path.to_string(),
                    item,
                });
            }
        }
    }

    fn contract(&self, node: &Value, file: &str) -> Option<Contract> {
        let name = str_field(node, "name")?.to_string();
        let kind = match str_field(node, "contractKind")? {
            "interface" => ContractKind::Interface,
            "library" => ContractKind::Library,
            _ => ContractKind::Contract,
        };
        let is_abstract = kind == ContractKind::Contract
            && match node.get("abstract").and_then(Value::as_bool) {
                Some(declared) => declared,
                None => node.get("fullyImplemented").and_then(Value::as_bool) == Some(false),
            };
        let linearization = children(node, "linearizedBaseContracts")
            .filter_map(Value::as_i64)
            .map(|id| match self.declarations.get(&id) {
                Some(decl) => decl.name.clone(),
                None => format!("<unknown contract #{id}>"),
            })
            .collect();
        let items = children(node, "nodes").filter_map(item_of).collect();
        Some(Contract {
            file: file.to_string(),
            name,
            kind,
            is_abstract,
            linearization,
            items,
        })
    }

    /// References and types, depth first.
    fn visit(&mut self, node: &Value) {
        match node {
            Value::Object(map) => {
                if let Some(kind) = node_type(node) {
                    if kind == "InlineAssembly" {
                        // The Yul body has no typed or resolved nodes; the
                        // Solidity names it uses are listed separately.
                        self.assembly_references(node);
                        return;
                    }
                    self.reference(node, kind);
                    self.expression_type(node, kind);
                }
                for value in map.values() {
                    self.visit(value);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.visit(item);
                }
            }
            _ => {}
        }
    }

    fn reference(&mut self, node: &Value, kind: &str) {
        let ref_kind = match kind {
            "Identifier" => RefKind::Identifier,
            "MemberAccess" => RefKind::Member,
            "UserDefinedTypeName" | "IdentifierPath" => RefKind::Path,
            _ => return,
        };
        let Some(declaration) = node.get("referencedDeclaration").and_then(Value::as_i64) else {
            return;
        };
        let Some(at) = str_field(node, "src").and_then(|src| self.files.range(src)) else {
            return;
        };
        // solc's magic variables and global functions (`msg`, `require`,
        // `sha3`, …) have negative ids since 0.6-ish and ids of no AST node
        // before; a successful compilation returns every source, so an id we
        // have not seen is a built-in.
        let target = match self.declarations.get(&declaration) {
            Some(decl) => Target::Declaration(decl.clone()),
            None => {
                let name = str_field(node, "name")
                    .or_else(|| str_field(node, "memberName"))
                    .unwrap_or_default();
                Target::Builtin {
                    name: name.to_string(),
                }
            }
        };
        self.facts.references.push(Reference {
            at,
            kind: ref_kind,
            target,
        });
    }

    fn assembly_references(&mut self, node: &Value) {
        for entry in children(node, "externalReferences") {
            // Before 0.6 each entry is `{ "<name>": info }`.
            let info = if entry.get("declaration").is_some() {
                entry
            } else {
                match entry.as_object().and_then(|o| o.values().next()) {
                    Some(info) => info,
                    None => continue,
                }
            };
            let Some(declaration) = info.get("declaration").and_then(Value::as_i64) else {
                continue;
            };
            let Some(at) = str_field(info, "src").and_then(|src| self.files.range(src)) else {
                continue;
            };
            if let Some(decl) = self.declarations.get(&declaration) {
                self.facts.references.push(Reference {
                    at,
                    kind: RefKind::Assembly,
                    target: Target::Declaration(decl.clone()),
                });
            }
        }
    }

    fn expression_type(&mut self, node: &Value, kind: &str) {
        let expr_kind = match kind {
            "Identifier" => ExprKind::Identifier,
            "MemberAccess" => ExprKind::MemberAccess,
            "FunctionCall" => ExprKind::Call,
            "FunctionCallOptions" => ExprKind::CallOptions,
            "BinaryOperation" => ExprKind::Binary,
            "UnaryOperation" => ExprKind::Unary,
            "Assignment" => ExprKind::Assignment,
            "Literal" => ExprKind::Literal,
            "IndexAccess" => ExprKind::Index,
            "IndexRangeAccess" => ExprKind::IndexRange,
            "TupleExpression" => ExprKind::Tuple,
            "Conditional" => ExprKind::Conditional,
            "NewExpression" => ExprKind::New,
            "ElementaryTypeNameExpression" => ExprKind::TypeExpression,
            "VariableDeclaration" => ExprKind::Declaration,
            _ => return,
        };
        let Some(type_string) = node
            .get("typeDescriptions")
            .and_then(|t| str_field(t, "typeString"))
        else {
            return;
        };
        let at = if expr_kind == ExprKind::Declaration {
            // Keyed by the name, like the declaration itself; unnamed
            // parameters have no key.
            if str_field(node, "name").is_none_or(str::is_empty) {
                return;
            }
            match node
                .get("id")
                .and_then(Value::as_i64)
                .and_then(|id| self.declarations.get(&id))
            {
                Some(decl) => decl.at.clone(),
                None => return,
            }
        } else {
            match str_field(node, "src").and_then(|src| self.files.range(src)) {
                Some(at) => at,
                None => return,
            }
        };
        self.facts.expression_types.push(ExprType {
            at,
            kind: expr_kind,
            type_string: type_string.to_string(),
        });
    }
}

/// The structural item a contract member or file-level node stands for.
fn item_of(node: &Value) -> Option<Item> {
    let name = || str_field(node, "name").unwrap_or_default().to_string();
    Some(match node_type(node)? {
        "FunctionDefinition" => {
            let kind = function_kind(node);
            Item::Function {
                name: if matches!(kind, FunctionKind::Function | FunctionKind::Free) {
                    name()
                } else {
                    String::new()
                },
                kind,
                visibility: visibility(node),
            }
        }
        "ModifierDefinition" => Item::Modifier { name: name() },
        "VariableDeclaration" => Item::StateVariable {
            name: name(),
            visibility: visibility(node),
            mutability: mutability(node),
        },
        "EventDefinition" => Item::Event { name: name() },
        "ErrorDefinition" => Item::Error { name: name() },
        "StructDefinition" => Item::Struct { name: name() },
        "EnumDefinition" => Item::Enum { name: name() },
        "UserDefinedValueTypeDefinition" => Item::ValueType { name: name() },
        _ => return None,
    })
}

fn function_kind(node: &Value) -> FunctionKind {
    match str_field(node, "kind") {
        Some("constructor") => FunctionKind::Constructor,
        Some("fallback") => FunctionKind::Fallback,
        Some("receive") => FunctionKind::Receive,
        Some("freeFunction") => FunctionKind::Free,
        Some(_) => FunctionKind::Function,
        // 0.4: no `kind`.
        None => {
            if node.get("isConstructor").and_then(Value::as_bool) == Some(true) {
                FunctionKind::Constructor
            } else if str_field(node, "name") == Some("") {
                FunctionKind::Fallback
            } else {
                FunctionKind::Function
            }
        }
    }
}

fn visibility(node: &Value) -> Visibility {
    match str_field(node, "visibility") {
        Some("external") => Visibility::External,
        Some("internal") => Visibility::Internal,
        Some("private") => Visibility::Private,
        _ => Visibility::Public,
    }
}

fn mutability(node: &Value) -> Mutability {
    // 0.8.27+ marks transient variables by their location, not mutability.
    if str_field(node, "storageLocation") == Some("transient") {
        return Mutability::Transient;
    }
    match str_field(node, "mutability") {
        Some("constant") => Mutability::Constant,
        Some("immutable") => Mutability::Immutable,
        Some("transient") => Mutability::Transient,
        Some(_) => Mutability::Mutable,
        None if node.get("constant").and_then(Value::as_bool) == Some(true) => Mutability::Constant,
        None => Mutability::Mutable,
    }
}

#[cfg(test)]
mod tests;
