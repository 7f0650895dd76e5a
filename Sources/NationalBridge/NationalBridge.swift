/// The national credit-information sharing platform exchange (outbox, inbox, reconciliation).
public enum NationalBridge {}
