// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Permit {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Deposit vault with gasless approvals and backend-signed bonus vouchers.
contract PermitDepositVault {
    IERC20Permit public immutable token;
    address public owner;
    address public bonusSigner;
    address public legacySigner;

    mapping(address => uint256) public deposits;
    mapping(address => uint256) public nonces;

    bytes32 public immutable DOMAIN_SEPARATOR;
    bytes32 private constant BONUS_TYPEHASH =
        keccak256("Bonus(address account,uint256 amount,uint256 nonce,uint256 deadline)");
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    error Expired();
    error InvalidSignature();

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    constructor(IERC20Permit _token, address _bonusSigner, address _legacySigner) {
        token = _token;
        owner = msg.sender;
        bonusSigner = _bonusSigner;
        legacySigner = _legacySigner;
        DOMAIN_SEPARATOR = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)"),
                keccak256("PermitDepositVault"),
                block.chainid,
                address(this)
            )
        );
    }

    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        try token.permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        deposits[msg.sender] += amount;
    }

    /// Used by the zap router to deposit tokens it pulled for a user.
    function depositFor(address from, address beneficiary, uint256 amount) external {
        require(token.transferFrom(from, address(this), amount), "transferFrom failed");
        deposits[beneficiary] += amount;
    }

    function withdraw(uint256 amount) external {
        deposits[msg.sender] -= amount;
        require(token.transfer(msg.sender, amount), "transfer failed");
    }

    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) internal pure returns (address signer) {
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }

    function claimBonus(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        if (block.timestamp > deadline) revert Expired();
        bytes32 structHash = keccak256(abi.encode(BONUS_TYPEHASH, msg.sender, amount, nonces[msg.sender]++, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR, structHash));
        if (_recover(digest, v, r, s) != bonusSigner) revert InvalidSignature();
        deposits[msg.sender] += amount;
    }

    /// Vouchers issued by the v1 backend before EIP-712 was adopted.
    function claimLegacyVoucher(address account, uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 voucher = keccak256(abi.encodePacked(account, amount));
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", voucher));
        address signer = ecrecover(digest, v, r, s);
        require(signer == legacySigner, "bad voucher");
        deposits[account] += amount;
    }

    /// Called once every v1 voucher has been redeemed.
    function retireLegacySigner() external onlyOwner {
        legacySigner = address(0);
    }

    function setBonusSigner(address signer) external onlyOwner {
        require(signer != address(0), "zero signer");
        bonusSigner = signer;
    }
}
