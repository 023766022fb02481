pragma solidity 0.5.17;

contract GuessTheBlock {
    address payable public owner;
    uint256 public constant STAKE = 0.1 ether;

    struct Guess {
        uint256 blockNumber;
        bytes32 value;
    }

    mapping(address => Guess) public guesses;
    uint256 public houseReserve;

    event Locked(address indexed player, uint256 blockNumber);
    event Won(address indexed player, uint256 prize);

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    constructor() public payable {
        owner = msg.sender;
        houseReserve = msg.value;
    }

    function fund() external payable onlyOwner {
        houseReserve += msg.value;
    }

    // Commit to the hash of the next block, settle any time later.
    function lockInGuess(bytes32 value) external payable {
        require(msg.value == STAKE, "stake");
        require(guesses[msg.sender].blockNumber == 0, "pending");
        require(houseReserve >= STAKE, "house empty");
        houseReserve -= STAKE;
        guesses[msg.sender] = Guess(block.number + 1, value);
        emit Locked(msg.sender, block.number + 1);
    }

    function settle() external {
        Guess memory g = guesses[msg.sender];
        require(g.blockNumber != 0 && block.number > g.blockNumber, "too early");
        delete guesses[msg.sender];
        bytes32 answer = blockhash(g.blockNumber);
        if (g.value == answer) {
            emit Won(msg.sender, 2 * STAKE);
            msg.sender.transfer(2 * STAKE);
        } else {
            houseReserve += 2 * STAKE;
        }
    }

    // Instant game: pick a digit, win 8x.
    function quickPlay(uint8 digit) external payable {
        require(msg.value == STAKE, "stake");
        require(digit < 10, "digit");
        require(houseReserve >= 7 * STAKE, "house empty");
        uint8 answer = uint8(uint256(keccak256(abi.encodePacked(block.timestamp, block.difficulty, msg.sender))) % 10);
        if (digit == answer) {
            houseReserve -= 7 * STAKE;
            emit Won(msg.sender, 8 * STAKE);
            msg.sender.transfer(8 * STAKE);
        } else {
            houseReserve += STAKE;
        }
    }

    function withdrawHouse(uint256 amount) external onlyOwner {
        require(amount <= houseReserve, "reserve");
        houseReserve -= amount;
        owner.transfer(amount);
    }

    function close() external {
        selfdestruct(owner);
    }
}
