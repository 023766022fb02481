pragma solidity ^0.4.24;

contract Counter {
    uint8 public count = 255;

    function bump(uint8 by) public {
        // <yes> <report> ARITHMETIC
        count += by;
    }
}
