// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// Lock-and-release token bridge secured by an M-of-N validator set.
contract BridgeGateway {
    struct Message {
        uint256 srcChainId;
        uint256 nonce;
        address token;
        address recipient;
        uint256 amount;
    }

    address public admin;
    uint256 public threshold;
    mapping(address => bool) public isValidator;
    mapping(address => bool) public supportedToken;
    uint256 public outboundNonce;

    event Locked(uint256 indexed nonce, address indexed token, address indexed sender, uint256 dstChainId, address recipient, uint256 amount);
    event Released(uint256 indexed srcChainId, uint256 indexed nonce, address recipient, uint256 amount);

    error NotAdmin();
    error NotEnoughSignatures();
    error BadSigner();

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin();
        _;
    }

    constructor(address[] memory validators, uint256 _threshold) {
        require(_threshold > 0 && _threshold <= validators.length, "threshold");
        admin = msg.sender;
        threshold = _threshold;
        for (uint256 i = 0; i < validators.length; i++) {
            isValidator[validators[i]] = true;
        }
    }

    function lock(address token, uint256 amount, uint256 dstChainId, address recipient) external {
        require(supportedToken[token], "unsupported token");
        require(amount > 0 && recipient != address(0), "bad params");
        require(IERC20(token).transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        emit Locked(++outboundNonce, token, msg.sender, dstChainId, recipient, amount);
    }

    function messageDigest(Message calldata m) public view returns (bytes32) {
        return keccak256(
            abi.encode(block.chainid, address(this), m.srcChainId, m.nonce, m.token, m.recipient, m.amount)
        );
    }

    function release(Message calldata m, bytes[] calldata signatures) external {
        bytes32 digest = messageDigest(m);
        _checkSignatures(digest, signatures);
        require(IERC20(m.token).transfer(m.recipient, m.amount), "transfer failed");
        emit Released(m.srcChainId, m.nonce, m.recipient, m.amount);
    }

    function _checkSignatures(bytes32 digest, bytes[] calldata signatures) internal view {
        if (signatures.length < threshold) revert NotEnoughSignatures();
        bytes32 ethHash = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", digest));
        address last = address(0);
        for (uint256 i = 0; i < threshold; i++) {
            address signer = _recover(ethHash, signatures[i]);
            // Strictly increasing order rules out duplicates and address(0).
            if (!isValidator[signer] || signer <= last) revert BadSigner();
            last = signer;
        }
    }

    function _recover(bytes32 hash, bytes calldata sig) internal pure returns (address) {
        require(sig.length == 65, "sig length");
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        require(uint256(s) <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0, "malleable");
        return ecrecover(hash, v, r, s);
    }

    function setValidator(address validator, bool enabled) external onlyAdmin {
        isValidator[validator] = enabled;
    }

    function setThreshold(uint256 next) external onlyAdmin {
        require(next > 0, "threshold");
        threshold = next;
    }

    function setSupportedToken(address token, bool supported) external onlyAdmin {
        supportedToken[token] = supported;
    }
}
