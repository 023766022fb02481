//! Severity follows the evidence: findings whose impact or reachability is
//! weaker than the rule's default are reported lower. The fixture harness
//! checks ids and lines only, so these cases are checked here.

use bulwark_detectors::{audit_project, Selection};
use bulwark_report::{Finding, Severity};
use bulwark_sema::{LoadOptions, Project};

fn findings(source: &str) -> Vec<Finding> {
    let project = Project::from_sources(&[("case.sol", source)], &LoadOptions::default());
    audit_project(&project, &Selection::all())
}

/// The severity of the one finding of `detector` whose primary location
/// is in `function`.
fn severity_in(all: &[Finding], detector: &str, function: &str) -> Severity {
    let hits: Vec<&Finding> = all
        .iter()
        .filter(|f| {
            f.detector == detector
                && f.primary().and_then(|l| l.function.as_deref()) == Some(function)
        })
        .collect();
    assert_eq!(hits.len(), 1, "{detector} in {function}: {hits:#?}");
    hits[0].severity
}

#[test]
fn overflow_in_a_view_function_is_low() {
    let all = findings(
        "pragma solidity ^0.4.24;
contract C {
    uint256 public total;
    function quote(uint256 stake) public view returns (uint256) { return stake * 5; }
    function add(uint256 stake) public { total = stake * 5; }
}",
    );
    assert_eq!(
        severity_in(&all, "integer-overflow", "quote"),
        Severity::Low
    );
    assert_eq!(severity_in(&all, "integer-overflow", "add"), Severity::High);
}

#[test]
fn reentrancy_through_a_trusted_callee_is_low() {
    let all = findings(
        "pragma solidity ^0.8.20;
interface IGenes { function mix(uint256 a) external returns (uint256); }
interface IToken { function transfer(address to, uint256 v) external returns (bool); }
contract Breeder {
    address owner;
    IGenes public genes;
    IToken public token;
    IGenes public anyGenes;
    mapping(uint256 => uint256) public kitties;
    uint256 public count;
    constructor(IGenes g, IToken t) { owner = msg.sender; genes = g; token = t; }
    function setGenes(IGenes g) external { require(msg.sender == owner); genes = g; }
    function setAnyGenes(IGenes g) external { anyGenes = g; }
    function breed(uint256 a) external {
        uint256 id = count;
        kitties[id] = genes.mix(a);
        count = id + 1;
    }
    function breedAny(uint256 a) external {
        uint256 id = count;
        kitties[id] = anyGenes.mix(a);
        count = id + 1;
    }
    function reward(uint256 a) external {
        uint256 id = count;
        token.transfer(msg.sender, a);
        count = id + 1;
    }
}",
    );
    // `genes` only the owner sets: low. `anyGenes` anyone sets, and a
    // token transfer hands control to the recipient's hooks: medium.
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "breed"),
        Severity::Low
    );
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "breedAny"),
        Severity::Medium
    );
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "reward"),
        Severity::Medium
    );
}

#[test]
fn reentrancy_through_a_token_pull_from_a_fixed_token_is_low() {
    let all = findings(
        "pragma solidity ^0.8.20;
interface IERC20 {
    function transferFrom(address from, address to, uint256 v) external returns (bool);
}
contract Vault {
    IERC20 public immutable asset;
    IERC20 public anyAsset;
    mapping(address => uint256) public shares;
    uint256 public totalShares;
    constructor(IERC20 a) { asset = a; }
    function setAnyAsset(IERC20 a) external { anyAsset = a; }
    function deposit(uint256 v) external {
        uint256 s = totalShares == 0 ? v : v * totalShares / 1e6;
        require(asset.transferFrom(msg.sender, address(this), v));
        shares[msg.sender] += s;
        totalShares += s;
    }
    function depositAny(uint256 v) external {
        uint256 s = totalShares == 0 ? v : v * totalShares / 1e6;
        require(anyAsset.transferFrom(msg.sender, address(this), v));
        shares[msg.sender] += s;
        totalShares += s;
    }
    function depositFor(address payee, uint256 v) external {
        uint256 s = totalShares == 0 ? v : v * totalShares / 1e6;
        require(asset.transferFrom(msg.sender, payee, v));
        shares[payee] += s;
        totalShares += s;
    }
}",
    );
    // A pull into this contract from the immutable asset: only the payer's
    // own ERC-777 hook runs, low. A token anyone can set, or a transfer to
    // another recipient (whose hook runs), stays medium.
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "deposit"),
        Severity::Low
    );
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "depositAny"),
        Severity::Medium
    );
    assert_eq!(
        severity_in(&all, "reentrancy-no-eth", "depositFor"),
        Severity::Medium
    );
}

#[test]
fn reentrancy_only_the_owner_can_make_is_low() {
    let all = findings(
        "pragma solidity ^0.8.20;
contract Desk {
    address public owner;
    mapping(bytes32 => address) public party;
    mapping(address => uint256) public owed;
    uint256 public paidOut;
    constructor() { owner = msg.sender; }
    function open(bytes32 id) external { party[id] = msg.sender; }
    function pay(address payable to) external {
        require(msg.sender == owner);
        uint256 before = paidOut;
        (bool ok, ) = to.call{value: owed[to]}(\"\");
        require(ok);
        paidOut = before + 1;
    }
    uint256 public partyPaid;
    function payParty(bytes32 id, address payable to) external {
        require(msg.sender == party[id]);
        uint256 before = partyPaid;
        (bool ok, ) = to.call{value: owed[to]}(\"\");
        require(ok);
        partyPaid = before + 1;
    }
}",
    );
    // `pay` is re-entered only through owner-only `pay`: low. `payParty`
    // checks a party anyone becomes through `open`: high.
    assert_eq!(severity_in(&all, "reentrancy-eth", "pay"), Severity::Low);
    assert_eq!(
        severity_in(&all, "reentrancy-eth", "payParty"),
        Severity::High
    );
}

#[test]
fn divide_before_multiply_losing_dust_is_low() {
    let all = findings(
        "pragma solidity ^0.8.20;
contract C {
    uint256 public fee = 30;
    uint256 public a;
    uint256 public b;
    function affiliate(uint256 x) external { a = (x * 5 / 100) * 2; }
    function cut(uint256 x) external { b = x / 10000 * fee; }
}",
    );
    assert_eq!(
        severity_in(&all, "divide-before-multiply", "affiliate"),
        Severity::Low
    );
    assert_eq!(
        severity_in(&all, "divide-before-multiply", "cut"),
        Severity::Medium
    );
}

#[test]
fn unprotected_swap_is_high_when_anyone_sells_the_contracts_funds() {
    let all = findings(
        "pragma solidity ^0.8.20;
interface IRouter {
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline) external returns (uint256[] memory);
}
interface IToken { function balanceOf(address a) external view returns (uint256); }
contract Vault {
    IRouter router; IToken reward; address owner; address[] path;
    function harvest() external {
        router.swapExactTokensForTokens(reward.balanceOf(address(this)), 0, path, address(this), block.timestamp);
    }
    function adminHarvest() external {
        require(msg.sender == owner);
        router.swapExactTokensForTokens(reward.balanceOf(address(this)), 0, path, address(this), block.timestamp);
    }
    function sell(uint256 amount) external {
        router.swapExactTokensForTokens(amount, 0, path, msg.sender, block.timestamp);
    }
    function bounded(uint256 minOut) external {
        router.swapExactTokensForTokens(reward.balanceOf(address(this)), minOut, path, address(this), block.timestamp);
    }
}",
    );
    assert_eq!(
        severity_in(&all, "unprotected-swap", "harvest"),
        Severity::High
    );
    assert_eq!(
        severity_in(&all, "unprotected-swap", "adminHarvest"),
        Severity::Medium
    );
    assert_eq!(
        severity_in(&all, "unprotected-swap", "sell"),
        Severity::Medium
    );
    // Only the deadline is missing.
    assert_eq!(
        severity_in(&all, "unprotected-swap", "bounded"),
        Severity::Low
    );
}

#[test]
fn fee_on_transfer_of_a_deployment_token_is_low() {
    let all = findings(
        "pragma solidity ^0.8.20;
interface IERC20 { function transferFrom(address f, address t, uint256 v) external returns (bool); }
contract Pool {
    IERC20 public immutable stable;
    IERC20 public listed;
    IERC20 public configured;
    bool initialized;
    address owner;
    mapping(address => uint256) public credit;
    constructor(IERC20 s) { stable = s; owner = msg.sender; }
    function setListed(IERC20 t) external { require(msg.sender == owner); listed = t; }
    function depositStable(uint256 amount) external {
        require(stable.transferFrom(msg.sender, address(this), amount));
        credit[msg.sender] += amount;
    }
    function initialize(IERC20 t) external {
        require(!initialized);
        initialized = true;
        configured = t;
    }
    function depositConfigured(uint256 amount) external {
        require(configured.transferFrom(msg.sender, address(this), amount));
        credit[msg.sender] += amount;
    }
    function depositListed(uint256 amount) external {
        require(listed.transferFrom(msg.sender, address(this), amount));
        credit[msg.sender] += amount;
    }
    function depositAny(IERC20 token, uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount));
        credit[msg.sender] += amount;
    }
}",
    );
    // One token chosen at deployment, or set by the owner only: the
    // deployer knows whether it takes fees. A caller-chosen token: medium.
    let rule = "fee-on-transfer-assumption";
    assert_eq!(severity_in(&all, rule, "depositStable"), Severity::Low);
    assert_eq!(severity_in(&all, rule, "depositListed"), Severity::Low);
    assert_eq!(severity_in(&all, rule, "depositConfigured"), Severity::Low);
    assert_eq!(severity_in(&all, rule, "depositAny"), Severity::Medium);
}
