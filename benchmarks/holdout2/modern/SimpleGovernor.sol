// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function balanceOf(address who) external view returns (uint256);
    function totalSupply() external view returns (uint256);
}

/// Token-weighted governor with a built-in timelock.
contract SimpleGovernor {
    struct Proposal {
        address proposer;
        address target;
        uint256 value;
        bytes data;
        uint64 voteEnd;
        uint64 eta;
        uint256 forVotes;
        uint256 againstVotes;
        bool executed;
        bool canceled;
    }

    IERC20 public immutable token;
    address public guardian;

    uint256 public constant VOTING_PERIOD = 3 days;
    uint256 public constant TIMELOCK_DELAY = 2 days;
    uint256 public constant GRACE_PERIOD = 14 days;
    uint256 public constant QUORUM_BPS = 400;
    uint256 public constant PROPOSAL_THRESHOLD_BPS = 100;

    uint256 public proposalCount;
    mapping(uint256 => Proposal) public proposals;
    mapping(uint256 => mapping(address => bool)) public hasVoted;

    error NotAuthorized();
    error InvalidState();

    event Proposed(uint256 indexed id, address indexed proposer, address target);
    event Voted(uint256 indexed id, address indexed voter, bool support, uint256 weight);
    event Queued(uint256 indexed id, uint256 eta);
    event Executed(uint256 indexed id);
    event Canceled(uint256 indexed id);

    constructor(IERC20 _token, address _guardian) {
        token = _token;
        guardian = _guardian;
    }

    function propose(address target, uint256 value, bytes calldata data) external returns (uint256 id) {
        if (token.balanceOf(msg.sender) * 10_000 < token.totalSupply() * PROPOSAL_THRESHOLD_BPS) revert NotAuthorized();
        id = ++proposalCount;
        Proposal storage p = proposals[id];
        p.proposer = msg.sender;
        p.target = target;
        p.value = value;
        p.data = data;
        p.voteEnd = uint64(block.timestamp + VOTING_PERIOD);
        emit Proposed(id, msg.sender, target);
    }

    function castVote(uint256 id, bool support) external {
        Proposal storage p = proposals[id];
        if (p.voteEnd == 0 || block.timestamp > p.voteEnd || p.canceled) revert InvalidState();
        require(!hasVoted[id][msg.sender], "already voted");
        hasVoted[id][msg.sender] = true;
        uint256 weight = token.balanceOf(msg.sender);
        if (support) p.forVotes += weight;
        else p.againstVotes += weight;
        emit Voted(id, msg.sender, support, weight);
    }

    function queue(uint256 id) external {
        Proposal storage p = proposals[id];
        if (p.voteEnd == 0 || block.timestamp <= p.voteEnd || p.eta != 0 || p.canceled) revert InvalidState();
        require(p.forVotes > p.againstVotes, "defeated");
        require(p.forVotes * 10_000 >= token.totalSupply() * QUORUM_BPS, "no quorum");
        p.eta = uint64(block.timestamp + TIMELOCK_DELAY);
        emit Queued(id, p.eta);
    }

    function execute(uint256 id) external payable {
        Proposal storage p = proposals[id];
        if (p.eta == 0 || p.executed || p.canceled) revert InvalidState();
        require(block.timestamp >= p.eta && block.timestamp <= p.eta + GRACE_PERIOD, "not executable");
        p.executed = true;
        p.target.call{value: p.value}(p.data);
        emit Executed(id);
    }

    function cancel(uint256 id) external {
        Proposal storage p = proposals[id];
        if (msg.sender != guardian && msg.sender != p.proposer) revert NotAuthorized();
        if (p.executed) revert InvalidState();
        p.canceled = true;
        emit Canceled(id);
    }

    /// Only reachable through a successful proposal targeting this contract.
    function setGuardian(address next) external {
        if (msg.sender != address(this)) revert NotAuthorized();
        guardian = next;
    }

    receive() external payable {}
}
