// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC1155 {
    function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes calldata data) external;
    function balanceOf(address account, uint256 id) external view returns (uint256);
}

interface IERC1155Receiver {
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external
        returns (bytes4);
}

/// Fixed-price marketplace for ERC1155 editions; listed copies are escrowed here.
contract EditionMarketplace is IERC1155Receiver {
    struct Listing {
        address seller;
        IERC1155 collection;
        uint256 tokenId;
        uint256 remaining;
        uint256 unitPrice;
        address royaltyReceiver;
        uint16 royaltyBps;
    }

    uint256 public listingCount;
    mapping(uint256 => Listing) public listings;
    mapping(address => uint256) public proceeds;

    event Listed(uint256 indexed id, address indexed seller, uint256 tokenId, uint256 amount, uint256 unitPrice);
    event Bought(uint256 indexed id, address indexed buyer, uint256 amount);
    event Cancelled(uint256 indexed id);

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155Received.selector;
    }

    function list(
        IERC1155 collection,
        uint256 tokenId,
        uint256 amount,
        uint256 unitPrice,
        address royaltyReceiver,
        uint16 royaltyBps
    ) external returns (uint256 id) {
        require(amount > 0 && unitPrice > 0, "empty listing");
        require(royaltyBps <= 1_000, "royalty too high");
        collection.safeTransferFrom(msg.sender, address(this), tokenId, amount, "");
        id = ++listingCount;
        listings[id] = Listing(msg.sender, collection, tokenId, amount, unitPrice, royaltyReceiver, royaltyBps);
        emit Listed(id, msg.sender, tokenId, amount, unitPrice);
    }

    function buy(uint256 id, uint256 amount) external payable {
        Listing storage l = listings[id];
        require(l.seller != address(0), "no listing");
        require(amount > 0 && amount <= l.remaining, "not enough copies");
        uint256 cost = l.unitPrice * amount;
        require(msg.value == cost, "wrong payment");
        uint256 left = l.remaining - amount;

        l.collection.safeTransferFrom(address(this), msg.sender, l.tokenId, amount, "");
        l.remaining = left;

        uint256 royalty = (cost * l.royaltyBps) / 10_000;
        if (royalty > 0) {
            payable(l.royaltyReceiver).send(royalty);
        }
        proceeds[l.seller] += cost - royalty;
        emit Bought(id, msg.sender, amount);
    }

    function cancel(uint256 id) external {
        Listing storage l = listings[id];
        require(msg.sender == l.seller, "seller only");
        uint256 amount = l.remaining;
        l.remaining = 0;
        l.collection.safeTransferFrom(address(this), msg.sender, l.tokenId, amount, "");
        emit Cancelled(id);
    }

    function withdrawProceeds() external {
        uint256 amount = proceeds[msg.sender];
        proceeds[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "withdraw failed");
    }
}
