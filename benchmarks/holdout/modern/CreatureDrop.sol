// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC721Receiver {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data) external returns (bytes4);
}

/// Public mint of a 10k collection with per-wallet limits and a random
/// rarity tier rolled at mint.
contract CreatureDrop {
    string public name = "Creatures";
    string public symbol = "CRTR";
    uint256 public constant MAX_SUPPLY = 10_000;
    uint256 public constant MAX_PER_WALLET = 5;
    uint256 public price = 0.05 ether;
    address public owner;
    uint256 public totalMinted;

    mapping(uint256 => address) public ownerOf;
    mapping(address => uint256) public balanceOf;
    mapping(address => uint256) public mintedBy;
    mapping(uint256 => uint8) public rarity;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    constructor() {
        owner = msg.sender;
    }

    function mint(uint256 quantity) external payable {
        require(quantity > 0 && totalMinted + quantity <= MAX_SUPPLY, "drop: sold out");
        require(mintedBy[msg.sender] + quantity <= MAX_PER_WALLET, "drop: wallet limit");
        require(msg.value >= price * quantity, "drop: price");
        for (uint256 i = 0; i < quantity; i++) {
            uint256 tokenId = totalMinted++;
            rarity[tokenId] = _rollRarity(tokenId);
            _safeMint(msg.sender, tokenId);
        }
        mintedBy[msg.sender] += quantity;
        if (msg.value > price * quantity) {
            payable(msg.sender).transfer(msg.value - price * quantity);
        }
    }

    function _rollRarity(uint256 tokenId) internal view returns (uint8) {
        uint256 roll = uint256(keccak256(abi.encodePacked(block.prevrandao, block.timestamp, msg.sender, tokenId))) % 100;
        if (roll < 2) return 3;
        if (roll < 12) return 2;
        if (roll < 40) return 1;
        return 0;
    }

    function _safeMint(address to, uint256 tokenId) internal {
        require(ownerOf[tokenId] == address(0), "drop: minted");
        ownerOf[tokenId] = to;
        balanceOf[to] += 1;
        emit Transfer(address(0), to, tokenId);
        if (to.code.length > 0) {
            bytes4 ret = IERC721Receiver(to).onERC721Received(msg.sender, address(0), tokenId, "");
            require(ret == IERC721Receiver.onERC721Received.selector, "drop: unsafe recipient");
        }
    }

    function transferFrom(address from, address to, uint256 tokenId) external {
        require(ownerOf[tokenId] == from && msg.sender == from, "drop: not owner");
        require(to != address(0), "drop: zero");
        ownerOf[tokenId] = to;
        balanceOf[from] -= 1;
        balanceOf[to] += 1;
        emit Transfer(from, to, tokenId);
    }

    function setPrice(uint256 newPrice) external {
        require(msg.sender == owner, "drop: not owner");
        price = newPrice;
    }

    function withdraw() external {
        require(msg.sender == owner, "drop: not owner");
        (bool ok, ) = payable(owner).call{value: address(this).balance}("");
        require(ok, "drop: withdraw");
    }
}
