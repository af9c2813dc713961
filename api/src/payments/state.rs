//! The payment state machine, fed by Stripe's webhook events in any order.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Checkout created, not finished.
    Pending,
    /// Checkout finished with a method that settles later (Boleto, Pix).
    Processing,
    Paid,
    Failed,
    Expired,
    Refunded,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Processing => "processing",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use PaymentStatus::*;
        [Pending, Processing, Paid, Failed, Expired, Refunded]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// What a Stripe event says about a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentSignal {
    /// `checkout.session.completed`; `paid` when its `payment_status` is `paid`.
    CheckoutCompleted { paid: bool },
    /// `checkout.session.async_payment_succeeded`
    AsyncSucceeded,
    /// `checkout.session.async_payment_failed`
    AsyncFailed,
    /// `checkout.session.expired`
    Expired,
    /// A refund of the whole amount succeeded.
    FullyRefunded,
}

/// The next status, or `None` when the signal changes nothing (a late or repeated event).
/// A paid payment never goes back to pending or processing, and a final state stays final.
pub fn transition(current: PaymentStatus, signal: PaymentSignal) -> Option<PaymentStatus> {
    use PaymentSignal as S;
    use PaymentStatus::*;
    let next = match (current, signal) {
        (Pending, S::CheckoutCompleted { paid: true }) => Paid,
        (Pending, S::CheckoutCompleted { paid: false }) => Processing,
        (Pending | Processing, S::AsyncSucceeded) => Paid,
        (Pending | Processing, S::AsyncFailed) => Failed,
        (Pending, S::Expired) => Expired,
        (Paid, S::FullyRefunded) => Refunded,
        _ => return None,
    };
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentSignal as S;
    use PaymentStatus::*;

    #[test]
    fn card_payments_are_paid_on_completion() {
        assert_eq!(
            transition(Pending, S::CheckoutCompleted { paid: true }),
            Some(Paid)
        );
    }

    #[test]
    fn boleto_and_pix_settle_later_either_way() {
        assert_eq!(
            transition(Pending, S::CheckoutCompleted { paid: false }),
            Some(Processing)
        );
        assert_eq!(transition(Processing, S::AsyncSucceeded), Some(Paid));
        assert_eq!(transition(Processing, S::AsyncFailed), Some(Failed));
    }

    #[test]
    fn out_of_order_events_never_move_a_payment_backwards() {
        // The settlement arrived before the completion.
        assert_eq!(transition(Pending, S::AsyncSucceeded), Some(Paid));
        assert_eq!(transition(Paid, S::CheckoutCompleted { paid: false }), None);
        assert_eq!(transition(Paid, S::Expired), None);
        assert_eq!(
            transition(Processing, S::Expired),
            None,
            "a pending Boleto does not expire with the checkout"
        );
        assert_eq!(transition(Refunded, S::AsyncSucceeded), None);
        assert_eq!(
            transition(Failed, S::CheckoutCompleted { paid: true }),
            None
        );
    }

    #[test]
    fn only_paid_payments_are_refunded() {
        assert_eq!(transition(Paid, S::FullyRefunded), Some(Refunded));
        assert_eq!(transition(Pending, S::FullyRefunded), None);
    }
}
