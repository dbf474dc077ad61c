use std::fmt;
use std::net::IpAddr;

/// An IPv4 or IPv6 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IpAddress(pub IpAddr);

impl IpAddress {
    pub fn parse(text: &str) -> Result<Self, String> {
        text.parse::<IpAddr>()
            .map(IpAddress)
            .map_err(|_| "expected an IPv4 or IPv6 address, like `192.168.0.10`".into())
    }
}

impl fmt::Display for IpAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A network in CIDR notation whose host bits are zero, such as `10.244.0.0/16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

fn bits(addr: IpAddr) -> (u128, u8) {
    match addr {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn mask(prefix: u8, width: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        let ones = u128::MAX << (128 - u32::from(prefix));
        ones >> (128 - u32::from(width))
    }
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((addr, prefix)) = text.split_once('/') else {
            return Err("expected an address and a prefix length, like `10.244.0.0/16`".into());
        };
        let addr = IpAddress::parse(addr)?.0;
        let (value, width) = bits(addr);
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= width)
            .ok_or_else(|| format!("the prefix length is a number from 0 to {width}"))?;
        if value & !mask(prefix, width) & (u128::MAX >> (128 - u32::from(width))) != 0 {
            return Err("host bits are set; the network is written with them zero".into());
        }
        Ok(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, width) = bits(self.addr);
        let (value, ip_width) = bits(ip);
        width == ip_width && value & mask(self.prefix, width) == net
    }

    /// The address `offset` places after the network's first one, if the network holds it.
    pub fn host(&self, offset: u128) -> Option<IpAddr> {
        let (net, width) = bits(self.addr);
        let size = 1u128
            .checked_shl(u32::from(width - self.prefix))
            .unwrap_or(u128::MAX);
        if offset >= size {
            return None;
        }
        let value = net + offset;
        Some(match self.addr {
            IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::from(value as u32)),
            IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::from(value)),
        })
    }

    /// Whether `ip` is this IPv4 network's `"network"` or `"broadcast"` address, which no host
    /// may have; a /31 or /32 has neither (RFC 3021), nor has IPv6 a broadcast address.
    pub fn reserved(&self, ip: IpAddr) -> Option<&'static str> {
        let IpAddr::V4(_) = self.addr else {
            return None;
        };
        if self.prefix > 30 || !self.contains(ip) {
            return None;
        }
        let (net, width) = bits(self.addr);
        let (value, _) = bits(ip);
        let broadcast = net | (!mask(self.prefix, width) & u128::from(u32::MAX));
        if value == net {
            Some("network")
        } else if value == broadcast {
            Some("broadcast")
        } else {
            None
        }
    }

    /// The first and last address a host of this network may have (IPv4 up to /30).
    pub fn host_range(&self) -> (String, String) {
        let (_, width) = bits(self.addr);
        let size = 1u128
            .checked_shl(u32::from(width - self.prefix))
            .unwrap_or(u128::MAX);
        let show = |ip: Option<IpAddr>| ip.map_or_else(String::new, |ip| ip.to_string());
        (show(self.host(1)), show(self.host(size.saturating_sub(2))))
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        let shorter = if self.prefix <= other.prefix {
            self
        } else {
            other
        };
        let longer = if self.prefix <= other.prefix {
            other
        } else {
            self
        };
        shorter.contains(longer.addr)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_networks_and_rejects_host_bits() {
        assert!(Cidr::parse("10.244.0.0/16").is_ok());
        assert!(Cidr::parse("0.0.0.0/0").is_ok());
        assert!(Cidr::parse("10.244.1.0/16")
            .unwrap_err()
            .contains("host bits"));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("fd00::/8").is_ok());
        assert!(Cidr::parse("10.0.0.0").is_err());
    }

    #[test]
    fn hosts_are_counted_from_the_network_and_stay_inside_it() {
        let services = Cidr::parse("10.96.0.0/12").unwrap();
        assert_eq!(services.host(14), Some("10.96.0.14".parse().unwrap()));
        assert_eq!(Cidr::parse("10.0.0.0/30").unwrap().host(4), None);
        assert_eq!(
            Cidr::parse("fd00::/112").unwrap().host(14),
            Some("fd00::e".parse().unwrap())
        );
    }

    #[test]
    fn network_and_broadcast_addresses_are_reserved_from_slash_30() {
        let nodes = Cidr::parse("192.168.0.0/24").unwrap();
        assert_eq!(
            nodes.reserved("192.168.0.0".parse().unwrap()),
            Some("network")
        );
        assert_eq!(
            nodes.reserved("192.168.0.255".parse().unwrap()),
            Some("broadcast")
        );
        assert_eq!(nodes.reserved("192.168.0.1".parse().unwrap()), None);
        assert_eq!(nodes.reserved("192.168.1.0".parse().unwrap()), None);
        assert_eq!(
            nodes.host_range(),
            ("192.168.0.1".to_string(), "192.168.0.254".to_string())
        );
        let point_to_point = Cidr::parse("10.0.0.0/31").unwrap();
        assert_eq!(point_to_point.reserved("10.0.0.0".parse().unwrap()), None);
        assert_eq!(
            Cidr::parse("fd00::/64")
                .unwrap()
                .reserved("fd00::".parse().unwrap()),
            None
        );
    }

    #[test]
    fn containment_and_overlap() {
        let nodes = Cidr::parse("192.168.0.0/24").unwrap();
        assert!(nodes.contains("192.168.0.10".parse().unwrap()));
        assert!(!nodes.contains("192.168.1.10".parse().unwrap()));
        let pods = Cidr::parse("10.244.0.0/16").unwrap();
        let services = Cidr::parse("10.96.0.0/12").unwrap();
        assert!(!pods.overlaps(&services));
        assert!(Cidr::parse("10.0.0.0/8").unwrap().overlaps(&pods));
        assert!(pods.overlaps(&Cidr::parse("10.0.0.0/8").unwrap()));
    }
}
