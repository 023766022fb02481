//! One module per detector, named after its id with `-` replaced by `_`.
//!
//! Each module exports `META`, the detector's [`DetectorMeta`], and
//! documents under "Facts needed" what the semantic model and the IR must
//! provide before its detection can be written. Register a new module in
//! [`crate::registry::REGISTRY`]; the registry tests check that every
//! module is registered and every registered id has a module, fixtures
//! and a documentation page.
//!
//! [`DetectorMeta`]: crate::meta::DetectorMeta

pub mod approve_race;
pub mod arbitrary_debit;
pub mod arbitrary_send_erc20;
pub mod arbitrary_send_erc20_permit;
pub mod arbitrary_send_eth;
pub mod array_length_storage_write;
pub mod blockhash_out_of_range;
pub mod call_in_loop_dos;
pub mod chainlink_stale_price;
pub mod clear_game_move;
pub mod commitment_not_bound_to_sender;
pub mod controlled_delegatecall;
pub mod costly_loop;
pub mod could_be_constant;
pub mod could_be_immutable;
pub mod dead_code;
pub mod default_public_visibility;
pub mod destructible_implementation;
pub mod divide_before_multiply;
pub mod encode_packed_collision;
pub mod exposed_internal_function;
pub mod fee_on_transfer_assumption;
pub mod floating_pragma;
pub mod front_runnable_solution;
pub mod incorrect_exponentiation;
pub mod incorrect_shift;
pub mod incorrect_token_interface;
pub mod inline_assembly;
pub mod integer_overflow;
pub mod known_compiler_bug;
pub mod locked_ether;
pub mod misnamed_constructor;
pub mod missing_disable_initializers;
pub mod missing_event;
pub mod missing_zero_address_check;
pub mod msg_value_in_loop;
pub mod outdated_compiler;
pub mod power_precedence;
pub mod push_payment_dos;
pub mod read_only_reentrancy;
pub mod reentrancy_eth;
pub mod reentrancy_events;
pub mod reentrancy_no_eth;
pub mod return_bomb;
pub mod shadowing_builtin;
pub mod shadowing_state;
pub mod short_address;
pub mod signature_malleability;
pub mod signature_missing_domain;
pub mod signature_replay;
pub mod spot_price_oracle;
pub mod storage_collision;
pub mod strict_balance_equality;
pub mod timestamp_dependence;
pub mod token_callback_reentrancy;
pub mod tx_origin;
pub mod unbacked_withdrawal;
pub mod unbounded_array_dos;
pub mod unchecked_ecrecover;
pub mod unchecked_low_level_call;
pub mod unchecked_transfer;
pub mod uninitialized_local;
pub mod uninitialized_state;
pub mod uninitialized_storage_pointer;
pub mod unprotected_critical_setter;
pub mod unprotected_initializer;
pub mod unprotected_selfdestruct;
pub mod unprotected_swap;
pub mod unprotected_upgrade;
pub mod unsafe_downcast;
pub mod unsafe_erc721_transfer;
pub mod unused_access_modifier;
pub mod unused_return;
pub mod vault_share_inflation;
pub mod vote_weight_from_balance;
pub mod weak_prng;
