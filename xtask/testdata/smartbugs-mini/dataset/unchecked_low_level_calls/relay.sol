pragma solidity ^0.4.24;

contract Relay {
    address public owner = msg.sender;

    function forward(address target, bytes data) public {
        require(msg.sender == owner);
        // <yes> <report> UNCHECKED_LL_CALLS
        target.call(data);
    }

    function sweep(address to) public {
        require(msg.sender == owner);
        // <yes> <report> UNCHECKED_LL_CALLS
        to.send(address(this).balance);
    }
}
