// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

interface IERC721 {
    function transferFrom(address from, address to, uint256 tokenId) external;
}

/// English auctions for NFTs with a protocol fee and creator royalties.
contract NftAuctionHouse {
    struct Auction {
        address seller;
        IERC721 collection;
        uint256 tokenId;
        uint256 reserve;
        uint256 highestBid;
        address highestBidder;
        uint64 endsAt;
        bool settled;
    }

    uint256 public constant FEE_BPS = 250;
    uint256 public constant EXTENSION = 10 minutes;
    address public treasury;
    address public owner;
    uint256 public nextAuctionId;
    mapping(uint256 => Auction) public auctions;
    mapping(address => uint256) public royaltyBps;
    mapping(address => address) public royaltyReceiver;

    event AuctionCreated(uint256 indexed id, address indexed seller, uint256 reserve, uint64 endsAt);
    event Bid(uint256 indexed id, address indexed bidder, uint256 amount);
    event Settled(uint256 indexed id, address indexed winner, uint256 amount);

    constructor(address treasury_) {
        owner = msg.sender;
        treasury = treasury_;
    }

    function createAuction(IERC721 collection, uint256 tokenId, uint256 reserve, uint64 duration) external returns (uint256 id) {
        collection.transferFrom(msg.sender, address(this), tokenId);
        id = nextAuctionId++;
        auctions[id] = Auction(msg.sender, collection, tokenId, reserve, 0, address(0), uint64(block.timestamp) + duration, false);
        emit AuctionCreated(id, msg.sender, reserve, auctions[id].endsAt);
    }

    function bid(uint256 id) external payable {
        Auction storage a = auctions[id];
        require(a.seller != address(0), "auction: unknown");
        require(block.timestamp < a.endsAt, "auction: ended");
        require(msg.value >= a.reserve && msg.value > a.highestBid + a.highestBid / 20, "auction: bid too low");
        if (a.highestBidder != address(0)) {
            payable(a.highestBidder).transfer(a.highestBid);
        }
        a.highestBid = msg.value;
        a.highestBidder = msg.sender;
        if (a.endsAt - block.timestamp < EXTENSION) {
            a.endsAt = uint64(block.timestamp + EXTENSION);
        }
        emit Bid(id, msg.sender, msg.value);
    }

    function settle(uint256 id) external {
        Auction storage a = auctions[id];
        require(block.timestamp >= a.endsAt && !a.settled, "auction: not over");
        a.settled = true;
        if (a.highestBidder == address(0)) {
            a.collection.transferFrom(address(this), a.seller, a.tokenId);
            return;
        }
        address collection = address(a.collection);
        uint256 fee = (a.highestBid * FEE_BPS) / 10_000;
        uint256 royalty = a.highestBid / 10_000 * royaltyBps[collection];
        a.collection.transferFrom(address(this), a.highestBidder, a.tokenId);
        (bool okFee, ) = treasury.call{value: fee}("");
        require(okFee, "auction: fee");
        if (royalty > 0) {
            (bool okRoyalty, ) = royaltyReceiver[collection].call{value: royalty}("");
            require(okRoyalty, "auction: royalty");
        }
        (bool okSeller, ) = a.seller.call{value: a.highestBid - fee - royalty}("");
        require(okSeller, "auction: seller");
        emit Settled(id, a.highestBidder, a.highestBid);
    }

    function setRoyalty(address collection, address receiver, uint256 bps) external {
        require(msg.sender == owner, "auction: not owner");
        require(bps <= 1_000, "auction: royalty too high");
        royaltyBps[collection] = bps;
        royaltyReceiver[collection] = receiver;
    }
}
