// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IMintableToken {
    function mint(address to, uint256 amount) external;
    function burnFrom(address from, uint256 amount) external;
}

/// Destination side of a lock-and-mint bridge. Deposits on the source
/// chain are attested by a set of validators; `threshold` signatures
/// release the wrapped tokens here.
contract BridgeGateway {
    IMintableToken public immutable wrapped;
    address public admin;
    uint256 public threshold;
    mapping(address => bool) public isValidator;
    mapping(bytes32 => bool) public processed;
    uint256 public outboundNonce;

    event Released(bytes32 indexed depositId, address indexed to, uint256 amount);
    event Outbound(uint256 indexed nonce, address indexed from, string destination, uint256 amount);

    constructor(IMintableToken wrapped_, address[] memory validators, uint256 threshold_) {
        wrapped = wrapped_;
        admin = msg.sender;
        threshold = threshold_;
        for (uint256 i = 0; i < validators.length; i++) {
            isValidator[validators[i]] = true;
        }
    }

    function release(
        bytes32 depositId,
        address to,
        uint256 amount,
        uint8[] calldata v,
        bytes32[] calldata r,
        bytes32[] calldata s
    ) external {
        require(!processed[depositId], "bridge: processed");
        bytes32 digest = keccak256(
            abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encode(depositId, to, amount)))
        );
        uint256 valid;
        address last;
        for (uint256 i = 0; i < v.length; i++) {
            address signer = ecrecover(digest, v[i], r[i], s[i]);
            require(signer > last, "bridge: signers not sorted");
            if (isValidator[signer]) valid++;
            last = signer;
        }
        require(valid >= threshold, "bridge: not enough signatures");
        processed[depositId] = true;
        wrapped.mint(to, amount);
        emit Released(depositId, to, amount);
    }

    /// Fast path: a single relayer-signed release for small amounts.
    function fastRelease(address to, uint256 amount, uint256 fee, bytes calldata signature) external {
        require(amount <= 10_000 ether, "bridge: too large for fast path");
        (bytes32 r, bytes32 s, uint8 v) = _split(signature);
        bytes32 digest = keccak256(abi.encodePacked(to, amount, fee));
        address signer = ecrecover(digest, v, r, s);
        require(isValidator[signer], "bridge: bad signature");
        wrapped.mint(to, amount - fee);
        wrapped.mint(msg.sender, fee);
    }

    function bridgeOut(string calldata destination, uint256 amount) external {
        wrapped.burnFrom(msg.sender, amount);
        emit Outbound(outboundNonce++, msg.sender, destination, amount);
    }

    function _split(bytes calldata sig) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        require(sig.length == 65, "bridge: signature length");
        r = bytes32(sig[0:32]);
        s = bytes32(sig[32:64]);
        v = uint8(sig[64]);
    }
}
