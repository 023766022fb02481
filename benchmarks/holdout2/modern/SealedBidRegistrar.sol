// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Vickrey-style sealed-bid auctions for short handles. Bidders commit, then
/// reveal; the highest revealed bid wins and pays the second price.
contract SealedBidRegistrar {
    struct Auction {
        uint64 commitEnd;
        uint64 revealEnd;
        address leader;
        uint256 highest;
        uint256 second;
        bool finalized;
    }

    uint256 public constant COMMIT_PERIOD = 2 days;
    uint256 public constant REVEAL_PERIOD = 1 days;
    uint256 public constant MIN_BID = 0.01 ether;

    address public immutable treasury;
    mapping(bytes32 => Auction) public auctions;
    mapping(bytes32 => address) public handleOwner;
    mapping(bytes32 => mapping(address => uint256)) public deposits;
    mapping(bytes32 => mapping(bytes32 => bool)) public commitments;
    mapping(address => uint256) public refunds;

    event AuctionStarted(bytes32 indexed handle, uint64 commitEnd, uint64 revealEnd);
    event Revealed(bytes32 indexed handle, address indexed bidder, uint256 value);
    event Finalized(bytes32 indexed handle, address winner, uint256 price);

    constructor(address _treasury) {
        treasury = _treasury;
    }

    function start(bytes32 handle) external {
        require(handleOwner[handle] == address(0) && auctions[handle].commitEnd == 0, "taken");
        uint64 commitEnd = uint64(block.timestamp + COMMIT_PERIOD);
        auctions[handle] = Auction(commitEnd, commitEnd + uint64(REVEAL_PERIOD), address(0), 0, 0, false);
        emit AuctionStarted(handle, commitEnd, commitEnd + uint64(REVEAL_PERIOD));
    }

    /// The deposit may exceed the bid to hide its size.
    function commit(bytes32 handle, bytes32 sealedBid) external payable {
        Auction storage a = auctions[handle];
        require(a.commitEnd != 0 && block.timestamp < a.commitEnd, "commit closed");
        require(msg.value >= MIN_BID, "deposit too small");
        commitments[handle][sealedBid] = true;
        deposits[handle][msg.sender] += msg.value;
    }

    function reveal(bytes32 handle, uint256 value, bytes32 salt) external {
        Auction storage a = auctions[handle];
        require(block.timestamp >= a.commitEnd && block.timestamp < a.revealEnd, "not revealing");
        bytes32 sealedBid = keccak256(abi.encode(handle, value, salt));
        require(commitments[handle][sealedBid], "no such commitment");
        delete commitments[handle][sealedBid];
        require(value >= MIN_BID && value <= deposits[handle][msg.sender], "bid not covered");

        if (value > a.highest) {
            if (a.leader != address(0)) refunds[a.leader] += a.highest;
            a.second = a.highest;
            a.highest = value;
            a.leader = msg.sender;
            deposits[handle][msg.sender] -= value;
        } else if (value > a.second) {
            a.second = value;
        }
        emit Revealed(handle, msg.sender, value);
    }

    function finalize(bytes32 handle) external {
        Auction storage a = auctions[handle];
        require(a.revealEnd != 0 && block.timestamp >= a.revealEnd && !a.finalized, "not final");
        a.finalized = true;
        if (a.leader == address(0)) return;
        uint256 price = a.second == 0 ? MIN_BID : a.second;
        handleOwner[handle] = a.leader;
        refunds[a.leader] += a.highest - price;
        refunds[treasury] += price;
        emit Finalized(handle, a.leader, price);
    }

    /// Unrevealed or losing deposits come back after the reveal phase.
    function reclaim(bytes32 handle) external {
        require(block.timestamp >= auctions[handle].revealEnd, "auction live");
        uint256 amount = deposits[handle][msg.sender];
        deposits[handle][msg.sender] = 0;
        refunds[msg.sender] += amount;
    }

    function withdraw() external {
        uint256 amount = refunds[msg.sender];
        refunds[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "withdraw failed");
    }
}
