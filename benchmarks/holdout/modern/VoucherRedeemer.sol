// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Redeems off-chain reward vouchers (campaign rewards, referral bonuses)
/// signed by the campaign signer.
contract VoucherRedeemer {
    IERC20 public immutable rewardToken;
    address public signer;
    address public owner;
    mapping(bytes32 => bool) public redeemed;
    mapping(bytes32 => bool) public claimedCampaignCode;

    event Redeemed(address indexed account, uint256 amount, bytes32 voucherId);

    constructor(IERC20 token, address signer_) {
        rewardToken = token;
        signer = signer_;
        owner = msg.sender;
    }

    function redeem(address account, uint256 amount, uint256 expiry, bytes calldata signature) external {
        require(block.timestamp <= expiry, "voucher: expired");
        bytes32 voucherId = keccak256(signature);
        require(!redeemed[voucherId], "voucher: used");
        bytes32 hash = keccak256(abi.encode(block.chainid, address(this), account, amount, expiry));
        address recovered = _recover(_toEthSigned(hash), signature);
        require(recovered != address(0) && recovered == signer, "voucher: bad signer");
        redeemed[voucherId] = true;
        require(rewardToken.transfer(account, amount), "voucher: transfer");
        emit Redeemed(account, amount, voucherId);
    }

    /// Campaign codes are short strings handed out per campaign; each
    /// (campaign, code) pair pays once.
    function redeemCode(string calldata campaign, string calldata code, uint256 amount, bytes calldata signature) external {
        bytes32 key = keccak256(abi.encodePacked(campaign, code));
        require(!claimedCampaignCode[key], "voucher: code used");
        bytes32 hash = keccak256(abi.encode(block.chainid, address(this), key, amount, msg.sender));
        require(_recover(_toEthSigned(hash), signature) == signer, "voucher: bad signer");
        require(signer != address(0), "voucher: no signer");
        claimedCampaignCode[key] = true;
        require(rewardToken.transfer(msg.sender, amount), "voucher: transfer");
    }

    function setSigner(address next) external {
        require(msg.sender == owner, "voucher: not owner");
        signer = next;
    }

    function _toEthSigned(bytes32 hash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", hash));
    }

    function _recover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        return ecrecover(digest, v, r, s);
    }
}
