// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.0;

/// The one piece of forge-std the Daedaluzz `.foundry.sol` mazes use:
/// `fail(reason)` makes the calling invariant fail.
abstract contract Test {
    function fail(string memory reason) internal pure virtual {
        revert(reason);
    }
}
