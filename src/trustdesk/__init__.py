"""trustdesk: customer-experience management for outsourced contact centers."""
