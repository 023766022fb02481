// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC721 {
    function transferFrom(address from, address to, uint256 tokenId) external;
    function safeTransferFrom(address from, address to, uint256 tokenId) external;
    function ownerOf(uint256 tokenId) external view returns (address);
}

/// English auctions for ERC721 tokens with anti-sniping extensions.
contract NftAuctionHouse {
    struct Auction {
        address seller;
        IERC721 nft;
        uint256 tokenId;
        uint256 reservePrice;
        uint64 endTime;
        address highestBidder;
        uint256 highestBid;
        bool settled;
    }

    uint256 public constant EXTENSION = 10 minutes;
    uint256 public constant MIN_INCREMENT_BPS = 500;
    uint256 public constant PROTOCOL_FEE_BPS = 250;

    address public treasury;
    uint256 public auctionCount;
    mapping(uint256 => Auction) public auctions;
    mapping(address => uint256) public pendingReturns;

    event AuctionCreated(uint256 indexed id, address indexed seller, uint256 tokenId, uint64 endTime);
    event BidPlaced(uint256 indexed id, address indexed bidder, uint256 amount);
    event AuctionSettled(uint256 indexed id, address winner, uint256 amount);

    constructor(address _treasury) {
        treasury = _treasury;
    }

    function createAuction(IERC721 nft, uint256 tokenId, uint256 reservePrice, uint64 duration) external returns (uint256 id) {
        require(duration >= 1 hours && duration <= 30 days, "duration");
        nft.transferFrom(msg.sender, address(this), tokenId);
        id = ++auctionCount;
        auctions[id] = Auction(msg.sender, nft, tokenId, reservePrice, uint64(block.timestamp) + duration, address(0), 0, false);
        emit AuctionCreated(id, msg.sender, tokenId, auctions[id].endTime);
    }

    function bid(uint256 id) external payable {
        Auction storage a = auctions[id];
        require(a.seller != address(0) && block.timestamp < a.endTime, "not active");
        require(msg.value >= a.reservePrice, "below reserve");
        require(msg.value * 10_000 >= a.highestBid * (10_000 + MIN_INCREMENT_BPS), "increment too small");

        address previousBidder = a.highestBidder;
        uint256 previousBid = a.highestBid;
        a.highestBidder = msg.sender;
        a.highestBid = msg.value;
        if (a.endTime - block.timestamp < EXTENSION) {
            a.endTime = uint64(block.timestamp + EXTENSION);
        }
        if (previousBidder != address(0)) {
            payable(previousBidder).transfer(previousBid);
        }
        emit BidPlaced(id, msg.sender, msg.value);
    }

    function settle(uint256 id) external {
        Auction storage a = auctions[id];
        require(a.seller != address(0) && block.timestamp >= a.endTime, "not ended");
        require(!a.settled, "settled");
        a.settled = true;

        if (a.highestBidder == address(0)) {
            a.nft.safeTransferFrom(address(this), a.seller, a.tokenId);
            emit AuctionSettled(id, address(0), 0);
            return;
        }
        uint256 fee = (a.highestBid * PROTOCOL_FEE_BPS) / 10_000;
        pendingReturns[treasury] += fee;
        pendingReturns[a.seller] += a.highestBid - fee;
        a.nft.transferFrom(address(this), a.highestBidder, a.tokenId);
        emit AuctionSettled(id, a.highestBidder, a.highestBid);
    }

    /// Sellers and the treasury pull their proceeds.
    function withdraw() external {
        uint256 amount = pendingReturns[msg.sender];
        require(amount > 0, "nothing owed");
        pendingReturns[msg.sender] = 0;
        (bool ok, ) = payable(msg.sender).call{value: amount}("");
        require(ok, "send failed");
    }
}
