pragma solidity ^0.5.17;

/// Community puzzle: the sponsor posts the hash of the answer, the first
/// solver takes the pot.
contract RiddleBounty {
    address public sponsor;
    bytes32 public answerHash;
    string public riddle;
    bool public solved;
    address public winner;
    mapping(address => bytes32) public commitments;
    mapping(address => uint256) public commitBlock;

    event Solved(address indexed winner, string answer);

    constructor(string memory _riddle, bytes32 _answerHash) public payable {
        sponsor = msg.sender;
        riddle = _riddle;
        answerHash = _answerHash;
    }

    function solve(string memory answer) public {
        require(!solved, "bounty: solved");
        require(keccak256(abi.encodePacked(answer)) == answerHash, "bounty: wrong");
        solved = true;
        winner = msg.sender;
        msg.sender.transfer(address(this).balance);
        emit Solved(msg.sender, answer);
    }

    function commit(bytes32 commitment) public {
        commitments[msg.sender] = commitment;
        commitBlock[msg.sender] = block.number;
    }

    function revealForBonus(string memory answer, bytes32 salt) public {
        require(solved && winner == msg.sender, "bounty: not winner");
        require(commitBlock[msg.sender] != 0 && commitBlock[msg.sender] < block.number, "bounty: no commit");
        require(keccak256(abi.encodePacked(answer, salt, msg.sender)) == commitments[msg.sender], "bounty: bad reveal");
        commitments[msg.sender] = bytes32(0);
    }

    function topUp() public payable {}

    function reclaim() public {
        require(msg.sender == sponsor && !solved, "bounty: cannot reclaim");
        solved = true;
        msg.sender.transfer(address(this).balance);
    }
}
