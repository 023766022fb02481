// SPDX-License-Identifier: MIT
pragma solidity ^0.8.25;

interface IWETH {
    function deposit() external payable;
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Periphery router: users batch actions through `multicall`, ETH is wrapped on
/// the way in and can be parked as credit for later actions.
contract PayableMulticallRouter {
    IWETH public immutable weth;
    mapping(address => uint256) public ethCredit;
    mapping(address => uint256) public refunds;
    address public immutable feeSink;

    error Locked();

    constructor(IWETH _weth, address _feeSink) {
        weth = _weth;
        feeSink = _feeSink;
    }

    /// Reentrancy lock kept in transient storage (EIP-1153).
    modifier lock() {
        assembly {
            if tload(0) {
                mstore(0, 0x0f2e5b6c00000000000000000000000000000000000000000000000000000000)
                revert(0, 4)
            }
            tstore(0, 1)
        }
        _;
        assembly {
            tstore(0, 0)
        }
    }

    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory ret) = address(this).delegatecall(data[i]);
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
            results[i] = ret;
        }
    }

    function depositCredit() public payable lock {
        require(msg.value > 0, "no value");
        ethCredit[msg.sender] += msg.value;
    }

    function wrapCredit(uint256 amount, address to) external lock {
        ethCredit[msg.sender] -= amount;
        weth.deposit{value: amount}();
        require(weth.transfer(to, amount), "weth transfer failed");
    }

    function withdrawCredit(uint256 amount) external lock {
        ethCredit[msg.sender] -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
    }

    /// Records dust returned by integrations so users can pull it later.
    function recordRefund(address user) external payable lock {
        refunds[user] += msg.value;
    }

    function claimRefund() external {
        uint256 amount = refunds[msg.sender];
        require(amount > 0, "nothing to refund");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
        refunds[msg.sender] = 0;
    }

    function sweepFees(uint256 amount) external lock {
        require(msg.sender == feeSink, "sink only");
        (bool ok, ) = feeSink.call{value: amount}("");
        require(ok, "sweep failed");
    }
}
