//! The table of every detector Bulwark knows.
//!
//! An entry pairs a detector's static metadata with its implementation.
//! The implementation is `None` while a detector exists only as
//! documentation and fixtures. Keeping such entries visible lets
//! `bulwark detectors`, `bulwark explain`, configuration validation and
//! the SARIF rule table work today, while [`runnable`] makes it impossible
//! for a driver to mistake "not implemented" for "found nothing".

use std::sync::LazyLock;

use bulwark_report::RuleMeta;

use crate::detector::Detector;
use crate::detectors::*;
use crate::meta::DetectorMeta;

/// One registered detector.
#[derive(Clone, Copy)]
pub struct Registration {
    pub meta: &'static DetectorMeta,
    /// `None` until the detection logic is written.
    pub detector: Option<&'static dyn Detector>,
}

/// Every detector, ordered by severity (most severe first), then by id.
/// The order is what `bulwark detectors` prints.
pub static REGISTRY: &[Registration] = &[
    implemented(&arbitrary_debit::META, &arbitrary_debit::ArbitraryDebit),
    implemented(
        &arbitrary_send_erc20::META,
        &arbitrary_send_erc20::ArbitrarySendErc20,
    ),
    implemented(
        &arbitrary_send_eth::META,
        &arbitrary_send_eth::ArbitrarySendEth,
    ),
    implemented(
        &array_length_storage_write::META,
        &array_length_storage_write::ArrayLengthStorageWrite,
    ),
    implemented(
        &controlled_delegatecall::META,
        &controlled_delegatecall::ControlledDelegatecall,
    ),
    implemented(
        &destructible_implementation::META,
        &destructible_implementation::DestructibleImplementation,
    ),
    implemented(
        &incorrect_exponentiation::META,
        &incorrect_exponentiation::IncorrectExponentiation,
    ),
    implemented(&incorrect_shift::META, &incorrect_shift::IncorrectShift),
    implemented(&integer_overflow::META, &integer_overflow::IntegerOverflow),
    implemented(
        &misnamed_constructor::META,
        &misnamed_constructor::MisnamedConstructor,
    ),
    implemented(&msg_value_in_loop::META, &msg_value_in_loop::MsgValueInLoop),
    implemented(&reentrancy_eth::META, &reentrancy_eth::ReentrancyEth),
    implemented(
        &signature_malleability::META,
        &signature_malleability::SignatureMalleability,
    ),
    implemented(&signature_replay::META, &signature_replay::SignatureReplay),
    implemented(
        &spot_price_oracle::META,
        &spot_price_oracle::SpotPriceOracle,
    ),
    implemented(
        &storage_collision::META,
        &storage_collision::StorageCollision,
    ),
    implemented(
        &unbacked_withdrawal::META,
        &unbacked_withdrawal::UnbackedWithdrawal,
    ),
    implemented(
        &unchecked_transfer::META,
        &unchecked_transfer::UncheckedTransfer,
    ),
    implemented(
        &uninitialized_state::META,
        &uninitialized_state::UninitializedState,
    ),
    implemented(
        &uninitialized_storage_pointer::META,
        &uninitialized_storage_pointer::UninitializedStoragePointer,
    ),
    implemented(
        &unprotected_critical_setter::META,
        &unprotected_critical_setter::UnprotectedCriticalSetter,
    ),
    implemented(
        &unprotected_initializer::META,
        &unprotected_initializer::UnprotectedInitializer,
    ),
    implemented(
        &unprotected_selfdestruct::META,
        &unprotected_selfdestruct::UnprotectedSelfdestruct,
    ),
    implemented(
        &unprotected_upgrade::META,
        &unprotected_upgrade::UnprotectedUpgrade,
    ),
    implemented(
        &vault_share_inflation::META,
        &vault_share_inflation::VaultShareInflation,
    ),
    implemented(
        &vote_weight_from_balance::META,
        &vote_weight_from_balance::VoteWeightFromBalance,
    ),
    implemented(&weak_prng::META, &weak_prng::WeakPrng),
    implemented(
        &arbitrary_send_erc20_permit::META,
        &arbitrary_send_erc20_permit::ArbitrarySendErc20Permit,
    ),
    implemented(
        &blockhash_out_of_range::META,
        &blockhash_out_of_range::BlockhashOutOfRange,
    ),
    implemented(&call_in_loop_dos::META, &call_in_loop_dos::CallInLoopDos),
    implemented(
        &chainlink_stale_price::META,
        &chainlink_stale_price::ChainlinkStalePrice,
    ),
    implemented(&clear_game_move::META, &clear_game_move::ClearGameMove),
    implemented(
        &commitment_not_bound_to_sender::META,
        &commitment_not_bound_to_sender::CommitmentNotBoundToSender,
    ),
    implemented(
        &default_public_visibility::META,
        &default_public_visibility::DefaultPublicVisibility,
    ),
    implemented(
        &divide_before_multiply::META,
        &divide_before_multiply::DivideBeforeMultiply,
    ),
    implemented(
        &encode_packed_collision::META,
        &encode_packed_collision::EncodePackedCollision,
    ),
    implemented(
        &exposed_internal_function::META,
        &exposed_internal_function::ExposedInternalFunction,
    ),
    implemented(
        &fee_on_transfer_assumption::META,
        &fee_on_transfer_assumption::FeeOnTransferAssumption,
    ),
    implemented(
        &front_runnable_solution::META,
        &front_runnable_solution::FrontRunnableSolution,
    ),
    implemented(
        &incorrect_token_interface::META,
        &incorrect_token_interface::IncorrectTokenInterface,
    ),
    implemented(&locked_ether::META, &locked_ether::LockedEther),
    implemented(
        &missing_disable_initializers::META,
        &missing_disable_initializers::MissingDisableInitializers,
    ),
    implemented(&power_precedence::META, &power_precedence::PowerPrecedence),
    implemented(&push_payment_dos::META, &push_payment_dos::PushPaymentDos),
    implemented(
        &read_only_reentrancy::META,
        &read_only_reentrancy::ReadOnlyReentrancy,
    ),
    implemented(
        &reentrancy_no_eth::META,
        &reentrancy_no_eth::ReentrancyNoEth,
    ),
    implemented(&return_bomb::META, &return_bomb::ReturnBomb),
    implemented(&shadowing_state::META, &shadowing_state::ShadowingState),
    implemented(
        &signature_missing_domain::META,
        &signature_missing_domain::SignatureMissingDomain,
    ),
    implemented(
        &strict_balance_equality::META,
        &strict_balance_equality::StrictBalanceEquality,
    ),
    implemented(
        &token_callback_reentrancy::META,
        &token_callback_reentrancy::TokenCallbackReentrancy,
    ),
    implemented(&tx_origin::META, &tx_origin::TxOrigin),
    implemented(
        &unbounded_array_dos::META,
        &unbounded_array_dos::UnboundedArrayDos,
    ),
    implemented(
        &unchecked_ecrecover::META,
        &unchecked_ecrecover::UncheckedEcrecover,
    ),
    implemented(
        &unchecked_low_level_call::META,
        &unchecked_low_level_call::UncheckedLowLevelCall,
    ),
    implemented(
        &uninitialized_local::META,
        &uninitialized_local::UninitializedLocal,
    ),
    implemented(&unprotected_swap::META, &unprotected_swap::UnprotectedSwap),
    implemented(&unsafe_downcast::META, &unsafe_downcast::UnsafeDowncast),
    implemented(
        &unused_access_modifier::META,
        &unused_access_modifier::UnusedAccessModifier,
    ),
    implemented(&unused_return::META, &unused_return::UnusedReturn),
    implemented(&approve_race::META, &approve_race::ApproveRace),
    implemented(
        &missing_zero_address_check::META,
        &missing_zero_address_check::MissingZeroAddressCheck,
    ),
    implemented(
        &reentrancy_events::META,
        &reentrancy_events::ReentrancyEvents,
    ),
    implemented(&short_address::META, &short_address::ShortAddress),
    implemented(
        &timestamp_dependence::META,
        &timestamp_dependence::TimestampDependence,
    ),
    implemented(
        &unsafe_erc721_transfer::META,
        &unsafe_erc721_transfer::UnsafeErc721Transfer,
    ),
    // Code quality: informational, below every `fail-on` threshold but
    // an explicit `informational`.
    implemented(&dead_code::META, &dead_code::DeadCode),
    implemented(&floating_pragma::META, &floating_pragma::FloatingPragma),
    implemented(&inline_assembly::META, &inline_assembly::InlineAssembly),
    implemented(
        &known_compiler_bug::META,
        &known_compiler_bug::KnownCompilerBug,
    ),
    implemented(&missing_event::META, &missing_event::MissingEvent),
    implemented(
        &outdated_compiler::META,
        &outdated_compiler::OutdatedCompiler,
    ),
    implemented(
        &shadowing_builtin::META,
        &shadowing_builtin::ShadowingBuiltin,
    ),
    // Optimization.
    implemented(&costly_loop::META, &costly_loop::CostlyLoop),
    implemented(
        &could_be_constant::META,
        &could_be_constant::CouldBeConstant,
    ),
    implemented(
        &could_be_immutable::META,
        &could_be_immutable::CouldBeImmutable,
    ),
];

/// A detector with its implementation.
const fn implemented(meta: &'static DetectorMeta, detector: &'static dyn Detector) -> Registration {
    Registration {
        meta,
        detector: Some(detector),
    }
}

static RULES: LazyLock<Vec<RuleMeta>> =
    LazyLock::new(|| REGISTRY.iter().map(|r| r.meta.to_rule_meta()).collect());

/// Every registered detector's metadata, in registry order.
pub fn all() -> impl Iterator<Item = &'static DetectorMeta> {
    REGISTRY.iter().map(|r| r.meta)
}

/// Every registered id, in registry order (for `Config::check_detector_ids`).
pub fn ids() -> Vec<&'static str> {
    all().map(|m| m.id).collect()
}

/// The metadata of detector `id`, if it is registered.
pub fn find(id: &str) -> Option<&'static DetectorMeta> {
    all().find(|m| m.id == id)
}

/// The report crate's form of every rule, in registry order (for the SARIF
/// rule table and `bulwark explain`). Built once.
pub fn rules() -> &'static [RuleMeta] {
    &RULES
}

/// The report crate's form of rule `id`, if it is registered.
pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    rules().iter().find(|r| r.id == id)
}

/// The detectors that have an implementation, in registry order.
pub fn runnable() -> impl Iterator<Item = &'static dyn Detector> {
    REGISTRY.iter().filter_map(|r| r.detector)
}
