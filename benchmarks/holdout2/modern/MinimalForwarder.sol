// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library SigUtils {
    error BadSignatureLength();

    function split(bytes calldata sig) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        if (sig.length != 65) revert BadSignatureLength();
        r = bytes32(sig[0:32]);
        s = bytes32(sig[32:64]);
        v = uint8(sig[64]);
    }

    function recover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        (uint8 v, bytes32 r, bytes32 s) = split(sig);
        require(uint256(s) <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0, "malleable");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "invalid signature");
        return signer;
    }
}

/// ERC-2771 forwarder: relayers submit users' signed calls and pay the gas.
/// Deployed at the same address on several chains.
contract MinimalForwarder {
    struct ForwardRequest {
        address from;
        address to;
        uint256 value;
        uint256 gas;
        uint256 nonce;
        bytes data;
    }

    bytes32 private constant REQUEST_TYPEHASH =
        keccak256("ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,bytes data)");

    mapping(address => uint256) public nonces;

    event Forwarded(address indexed from, address indexed to, uint256 nonce, bool success);

    function hashRequest(ForwardRequest calldata req) public pure returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(REQUEST_TYPEHASH, req.from, req.to, req.value, req.gas, req.nonce, keccak256(req.data))
        );
        return keccak256(abi.encodePacked("\x19\x01", structHash));
    }

    function verify(ForwardRequest calldata req, bytes calldata signature) public view returns (bool) {
        address signer = SigUtils.recover(hashRequest(req), signature);
        return nonces[req.from] == req.nonce && signer == req.from;
    }

    function execute(ForwardRequest calldata req, bytes calldata signature)
        external
        payable
        returns (bool success, bytes memory ret)
    {
        require(verify(req, signature), "signature does not match request");
        require(msg.value == req.value, "value mismatch");
        nonces[req.from] = req.nonce + 1;
        (success, ret) = req.to.call{gas: req.gas, value: req.value}(abi.encodePacked(req.data, req.from));
        // Guard against relayers starving the inner call (EIP-150 63/64 rule).
        if (gasleft() <= req.gas / 63) {
            assembly {
                invalid()
            }
        }
        emit Forwarded(req.from, req.to, req.nonce, success);
    }
}

/// Lets a wallet authorise a short-lived session key for an app, off-chain.
contract SessionKeyRegistry {
    struct Session {
        address key;
        uint64 expiry;
    }

    mapping(address => mapping(bytes32 => Session)) public sessions;
    mapping(address => uint256) public sessionNonce;

    event SessionOpened(address indexed account, string app, address key, uint64 expiry);

    function openSession(
        address account,
        string calldata app,
        string calldata scope,
        address key,
        uint64 expiry,
        bytes calldata signature
    ) external {
        require(expiry > block.timestamp, "expired");
        bytes32 digest = keccak256(
            abi.encodePacked(block.chainid, address(this), sessionNonce[account], app, scope, key, expiry)
        );
        require(SigUtils.recover(digest, signature) == account, "not signed by account");
        sessionNonce[account]++;
        sessions[account][keccak256(bytes(app))] = Session(key, expiry);
        emit SessionOpened(account, app, key, expiry);
    }

    function isSessionKey(address account, string calldata app, address key) external view returns (bool) {
        Session memory s = sessions[account][keccak256(bytes(app))];
        return s.key == key && s.expiry >= block.timestamp;
    }
}
