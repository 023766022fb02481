// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC721Receiver {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4);
}

/// Minimal ERC721 core (balances, owners, approvals, safe transfers).
abstract contract ERC721Core {
    mapping(uint256 => address) internal _owners;
    mapping(address => uint256) internal _balances;
    mapping(uint256 => address) public getApproved;
    mapping(address => mapping(address => bool)) public isApprovedForAll;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed spender, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    function ownerOf(uint256 id) public view returns (address owner) {
        owner = _owners[id];
        require(owner != address(0), "not minted");
    }

    function balanceOf(address owner) external view returns (uint256) {
        return _balances[owner];
    }

    function approve(address spender, uint256 id) external {
        address owner = ownerOf(id);
        require(msg.sender == owner || isApprovedForAll[owner][msg.sender], "not authorized");
        getApproved[id] = spender;
        emit Approval(owner, spender, id);
    }

    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    function transferFrom(address from, address to, uint256 id) public {
        require(from == ownerOf(id), "wrong from");
        require(to != address(0), "zero to");
        require(msg.sender == from || isApprovedForAll[from][msg.sender] || msg.sender == getApproved[id], "not authorized");
        _balances[from]--;
        _balances[to]++;
        _owners[id] = to;
        delete getApproved[id];
        emit Transfer(from, to, id);
    }

    function _checkReceiver(address from, address to, uint256 id) internal {
        if (to.code.length > 0) {
            require(
                IERC721Receiver(to).onERC721Received(msg.sender, from, id, "") == IERC721Receiver.onERC721Received.selector,
                "unsafe recipient"
            );
        }
    }

    function _safeMint(address to, uint256 id) internal {
        require(to != address(0) && _owners[id] == address(0), "bad mint");
        _balances[to]++;
        _owners[id] = to;
        emit Transfer(address(0), to, id);
        _checkReceiver(address(0), to, id);
    }
}

/// Public sale with a per-wallet cap and randomly assigned rarity tiers.
contract CappedMintNFT is ERC721Core {
    string public constant name = "Capped Mint";
    string public constant symbol = "CAP";
    uint256 public constant MAX_SUPPLY = 10_000;
    uint256 public constant MAX_PER_WALLET = 3;
    uint256 public constant PRICE = 0.05 ether;

    address public immutable owner;
    uint256 public totalMinted;
    mapping(address => uint256) public mintedBy;
    mapping(uint256 => uint8) public rarityOf;

    constructor() {
        owner = msg.sender;
    }

    function mint(uint256 quantity) external payable {
        require(quantity > 0 && totalMinted + quantity <= MAX_SUPPLY, "sold out");
        require(mintedBy[msg.sender] + quantity <= MAX_PER_WALLET, "wallet cap");
        require(msg.value == PRICE * quantity, "wrong price");
        for (uint256 i = 0; i < quantity; i++) {
            uint256 id = ++totalMinted;
            rarityOf[id] = _rollRarity(id);
            _safeMint(msg.sender, id);
        }
        mintedBy[msg.sender] += quantity;
    }

    function _rollRarity(uint256 id) internal view returns (uint8) {
        uint256 roll = uint256(keccak256(abi.encodePacked(block.prevrandao, block.timestamp, msg.sender, id))) % 100;
        if (roll < 2) return 3;
        if (roll < 12) return 2;
        if (roll < 40) return 1;
        return 0;
    }

    function withdraw(address payable to) external {
        require(msg.sender == owner, "owner only");
        (bool ok, ) = to.call{value: address(this).balance}("");
        require(ok, "withdraw failed");
    }
}
