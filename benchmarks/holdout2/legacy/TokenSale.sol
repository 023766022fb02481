pragma solidity 0.4.24;

library SafeMath {
    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        if (a == 0) {
            return 0;
        }
        uint256 c = a * b;
        require(c / a == b);
        return c;
    }

    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a + b;
        require(c >= a);
        return c;
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b <= a);
        return a - b;
    }
}

contract SaleToken {
    using SafeMath for uint256;

    string public name = "Sale Token";
    string public symbol = "SALE";
    uint8 public decimals = 18;
    uint256 public totalSupply;
    address public minter;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor() public {
        minter = msg.sender;
    }

    function transfer(address to, uint256 value) public returns (bool) {
        require(to != address(0));
        balanceOf[msg.sender] = balanceOf[msg.sender].sub(value);
        balanceOf[to] = balanceOf[to].add(value);
        emit Transfer(msg.sender, to, value);
        return true;
    }

    function mint(address to, uint256 value) public {
        require(msg.sender == minter);
        totalSupply = totalSupply.add(value);
        balanceOf[to] = balanceOf[to].add(value);
        emit Transfer(address(0), to, value);
    }

    function setMinter(address newMinter) public {
        require(msg.sender == minter);
        require(newMinter != address(0));
        minter = newMinter;
    }
}

contract TokenSale {
    using SafeMath for uint256;

    SaleToken public token;
    address public wallet;
    uint256 public rate;
    uint256 public phase;
    uint256 public openingTime;
    uint256 public closingTime;
    uint256 public weiRaised;
    bool public finalized;

    mapping(address => uint256) public contributions;
    mapping(address => uint256) public bonusTokens;

    event Purchase(address indexed buyer, address indexed beneficiary, uint256 weiAmount, uint256 tokens);
    event PhaseAdvanced(uint256 phase, uint256 rate);

    modifier onlyWallet() {
        require(msg.sender == wallet);
        _;
    }

    constructor(SaleToken _token, address _wallet, uint256 _rate, uint256 _open, uint256 _close) public {
        require(_wallet != address(0) && _rate > 0 && _open < _close);
        token = _token;
        wallet = _wallet;
        rate = _rate;
        openingTime = _open;
        closingTime = _close;
    }

    function buyTokens(address beneficiary) public payable {
        require(now >= openingTime && now <= closingTime);
        require(beneficiary != address(0) && msg.value > 0);
        uint256 tokens = msg.value.mul(rate);
        weiRaised = weiRaised.add(msg.value);
        contributions[beneficiary] = contributions[beneficiary].add(msg.value);
        if (phase == 0) {
            bonusTokens[beneficiary] = bonusTokens[beneficiary].add(tokens / 10);
        }
        token.mint(beneficiary, tokens);
        emit Purchase(msg.sender, beneficiary, msg.value, tokens);
    }

    // Early buyers may hand their bonus to several friends in one call.
    function shareBonus(address[] receivers, uint256 value) public returns (bool) {
        uint256 count = receivers.length;
        uint256 amount = count * value;
        require(count > 0 && count <= 20);
        require(value > 0 && bonusTokens[msg.sender] >= amount);
        bonusTokens[msg.sender] = bonusTokens[msg.sender].sub(amount);
        for (uint256 i = 0; i < count; i++) {
            bonusTokens[receivers[i]] = bonusTokens[receivers[i]].add(value);
        }
        return true;
    }

    function claimBonus() public {
        require(finalized);
        uint256 amount = bonusTokens[msg.sender];
        require(amount > 0);
        bonusTokens[msg.sender] = 0;
        token.mint(msg.sender, amount);
    }

    function advancePhase(uint256 newRate) public onlyWallet {
        require(newRate > 0 && newRate < rate);
        phase = phase.add(1);
        _updateRate(newRate);
        emit PhaseAdvanced(phase, newRate);
    }

    function _updateRate(uint256 newRate) {
        rate = newRate;
    }

    function finalize() public onlyWallet {
        require(!finalized);
        require(now > closingTime);
        finalized = true;
        wallet.transfer(address(this).balance);
    }
}
