// Netlink and rtnetlink ABI numbers (include/uapi/linux/netlink.h, rtnetlink.h, if_link.h,
// if_addr.h) that ushim's NETLINK_ROUTE sockets use.

export const NETLINK_ROUTE = 0;

/** sizeof(struct sockaddr_nl): nl_family, nl_pad, nl_pid, nl_groups. */
export const SOCKADDR_NL_SIZE = 12;

/** sizeof(struct nlmsghdr): len, type, flags, seq, pid. */
export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
/** Types below it are netlink's own control messages, which the kernel does not act on. */
export const NLMSG_MIN_TYPE = 0x10;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
/** NLM_F_ROOT | NLM_F_MATCH: rtnetlink dumps when either is set. */
export const NLM_F_DUMP = 0x300;
/** In an ack: the request was not copied back (a success, or NETLINK_CAP_ACK). */
export const NLM_F_CAPPED = 0x100;

// SOL_NETLINK options.
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_PKTINFO = 3;
export const NETLINK_BROADCAST_ERROR = 4;
export const NETLINK_NO_ENOBUFS = 5;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const NETLINK_LIST_MEMBERSHIPS = 9;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;

// rtnetlink message types: RTM_BASE + 4 * family + kind (0 new, 1 del, 2 get, 3 set).
export const RTM_BASE = 16;
export const RTM_GETLINK = 18;
export const RTM_GETADDR = 22;
export const RTM_GETROUTE = 26;
/** The last rtnetlink type Linux 6.x knows: above it a request is EOPNOTSUPP. */
export const RTM_MAX = 123;
/** rtnetlink's kind of a message (type - RTM_BASE) & 3 that only reads, open to every user. */
export const RTM_KIND_GET = 2;
/** RTNLGRP_MAX of Linux 6.x: the multicast groups of NETLINK_ROUTE are 1..RTNLGRP_MAX. */
export const RTNLGRP_MAX = 39;

// struct ifinfomsg's attributes (IFLA_*).
export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_QDISC = 6;
export const IFLA_STATS = 7;
export const IFLA_TXQLEN = 13;
export const IFLA_MAP = 14;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKMODE = 17;
export const IFLA_STATS64 = 23;
export const IFLA_GROUP = 27;
export const IFLA_PROMISCUITY = 30;
export const IFLA_NUM_TX_QUEUES = 31;
export const IFLA_NUM_RX_QUEUES = 32;
export const IFLA_CARRIER = 33;
export const IFLA_CARRIER_CHANGES = 35;
export const IFLA_PROTO_DOWN = 39;
export const IFLA_GSO_MAX_SEGS = 40;
export const IFLA_GSO_MAX_SIZE = 41;
export const IFLA_XDP = 43;
export const IFLA_CARRIER_UP_COUNT = 47;
export const IFLA_CARRIER_DOWN_COUNT = 48;
export const IFLA_MIN_MTU = 50;
export const IFLA_MAX_MTU = 51;
export const IFLA_ALT_IFNAME = 53;
export const IFLA_GRO_MAX_SIZE = 58;
export const IFLA_TSO_MAX_SIZE = 59;
export const IFLA_TSO_MAX_SEGS = 60;
export const IFLA_ALLMULTI = 61;
export const IFLA_GSO_IPV4_MAX_SIZE = 63;
export const IFLA_GRO_IPV4_MAX_SIZE = 64;
export const IFLA_MAX_PACING_OFFLOAD_HORIZON = 66;
export const IFLA_NETNS_IMMUTABLE = 67;
export const IFLA_HEADROOM = 68;
export const IFLA_TAILROOM = 69;
export const IFLA_XDP_ATTACHED = 2;

// struct ifaddrmsg's attributes (IFA_*).
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_CACHEINFO = 6;
export const IFA_FLAGS = 8;
export const IFA_PROTO = 11;
export const IFA_F_PERMANENT = 0x80;
/** IFAPROT_KERNEL_LO: the address the kernel gives lo. */
export const IFAPROT_KERNEL_LO = 1;

// struct rtmsg's attributes (RTA_*) and values.
export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_CACHEINFO = 12;
export const RTA_TABLE = 15;
export const RTA_PREF = 20;
export const RT_TABLE_LOCAL = 255;
export const RTPROT_KERNEL = 2;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;

// The loopback device.
export const ARPHRD_LOOPBACK = 772;
export const IFF_UP = 0x1;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_LOWER_UP = 0x10000;
export const IF_OPER_UNKNOWN = 0;
