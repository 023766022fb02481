// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// Fixed-price token sale with a vesting cliff. Buyers pay ether; tokens
/// are claimable after the cliff.
contract LaunchpadSale {
    IERC20 public immutable saleToken;
    address public immutable projectOwner;
    uint256 public immutable tokensPerEth;
    uint256 public immutable saleEnd;
    uint256 public immutable cliff;
    uint256 public sold;

    mapping(address => uint256) public purchased;
    mapping(address => bool) public claimed;

    event Purchased(address indexed buyer, address indexed beneficiary, uint256 tokens);

    constructor(IERC20 token, uint256 rate, uint256 duration, uint256 cliff_) {
        saleToken = token;
        projectOwner = msg.sender;
        tokensPerEth = rate;
        saleEnd = block.timestamp + duration;
        cliff = cliff_;
    }

    function buy() external payable {
        _buy(msg.sender, msg.value);
    }

    /// Gift purchases: the same ether amount for each beneficiary.
    function buyFor(address[] calldata beneficiaries) external payable {
        for (uint256 i = 0; i < beneficiaries.length; i++) {
            _buy(beneficiaries[i], msg.value);
        }
    }

    function _buy(address beneficiary, uint256 paid) internal {
        require(block.timestamp < saleEnd, "sale: over");
        uint256 tokens = paid * tokensPerEth;
        require(sold + tokens <= saleToken.balanceOf(address(this)), "sale: sold out");
        sold += tokens;
        purchased[beneficiary] += tokens;
        emit Purchased(msg.sender, beneficiary, tokens);
    }

    function claim() external {
        require(block.timestamp >= saleEnd + cliff, "sale: cliff");
        require(!claimed[msg.sender], "sale: claimed");
        claimed[msg.sender] = true;
        uint256 amount = purchased[msg.sender];
        sold -= amount;
        require(saleToken.transfer(msg.sender, amount), "sale: transfer");
    }

    function withdrawUnsold() external {
        require(msg.sender == projectOwner && block.timestamp >= saleEnd, "sale: not yet");
        uint256 unsold = saleToken.balanceOf(address(this)) - sold;
        require(saleToken.transfer(projectOwner, unsold), "sale: transfer");
    }
}
