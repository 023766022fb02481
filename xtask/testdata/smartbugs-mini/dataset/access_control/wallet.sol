pragma solidity ^0.4.24;

contract Wallet {
    address public owner;

    // <yes> <report> ACCESS_CONTROL
    function initWallet(address newOwner) public {
        owner = newOwner;
    }

    function withdraw() public {
        require(msg.sender == owner);
        owner.transfer(address(this).balance);
    }
}
